namespace Plugboard.Tests;

/// <summary>What this process holds open or mapped, from /proc (Linux).</summary>
internal static class OpenFiles
{
    public static IReadOnlyList<string> Under(string directory)
    {
        var open = new List<string>();
        foreach (string fd in Directory.GetFiles("/proc/self/fd"))
        {
            try
            {
                if (new FileInfo(fd).LinkTarget is string target && target.StartsWith(directory, StringComparison.Ordinal))
                {
                    open.Add(target);
                }
            }
            catch (IOException)
            {
                // The descriptor closed while we looked.
            }
        }
        return open;
    }

    public static IReadOnlyList<string> MappedUnder(string directory) =>
        File.ReadAllLines("/proc/self/maps").Where(l => l.Contains(directory, StringComparison.Ordinal)).ToList();
}
