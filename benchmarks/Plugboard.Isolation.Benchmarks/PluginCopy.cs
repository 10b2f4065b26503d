using System.Reflection;

namespace Plugboard.Isolation.Benchmarks;

/// <summary>
/// A fresh copy of the built benchmark plugin (<c>CrashingPlugin</c>) in a folder of its own, so that a run never loads
/// from (or locks) the build output; deleted on dispose. <see cref="Root"/> is the folder to discover plugins in.
/// </summary>
internal sealed class PluginCopy : IDisposable
{
    public PluginCopy(string purpose)
    {
        string built = typeof(PluginCopy).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "PluginDirectory").Value!;
        Root = Path.Combine(Path.GetTempPath(), $"plugboard-isolation-{purpose}", Guid.NewGuid().ToString("N"));
        string folder = Path.Combine(Root, "CrashingPlugin");
        Directory.CreateDirectory(folder);
        foreach (string file in Directory.GetFiles(built))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }
    }

    public string Root { get; }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
