namespace Plugboard.Metadata;

/// <summary>Whether a path lies inside a folder: the one rule the manifest's path checks and the trust policy share.</summary>
internal static class PathContainment
{
    /// <summary>True when <paramref name="path"/> is <paramref name="directory"/> itself or lies below it (ordinal, after normalizing both).</summary>
    public static bool IsUnder(string path, string directory)
    {
        string root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)) + Path.DirectorySeparatorChar;
        return (Path.GetFullPath(path) + Path.DirectorySeparatorChar).StartsWith(root, StringComparison.Ordinal);
    }
}
