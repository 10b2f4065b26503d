using System.Reflection;

namespace Plugboard.TestSupport;

/// <summary>
/// The real test plugins the build put under artifacts/tests/plugins, copied into a temporary plugins folder that is
/// deleted on dispose. Shared by the CLI and hosting tests (linked into each).
/// </summary>
internal sealed class PluginFolder : IDisposable
{
    public PluginFolder(params string[] plugins)
    {
        Root = Path.Combine(Path.GetTempPath(), "plugboard-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        foreach (string plugin in plugins)
        {
            Add(plugin);
        }
    }

    public static string BuiltDirectory => Metadata("TestPluginsDirectory");

    public string Root { get; }

    public static string Metadata(string key) =>
        Assembly.GetExecutingAssembly().GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    public static string Built(string name)
    {
        string path = Path.Combine(BuiltDirectory, name);
        if (!Directory.Exists(path) || Directory.GetFiles(path, "*.dll").Length == 0)
        {
            throw new InvalidOperationException($"test plugin {name} was not built into {path}");
        }
        return path;
    }

    public string Add(string plugin, string? folderName = null)
    {
        string target = Path.Combine(Root, folderName ?? plugin);
        Copy(Built(plugin), target);
        return target;
    }

    public string PathOf(string folder, string file) => Path.Combine(Root, folder, file);

    /// <summary>Overwrites a plugin folder's files with another build's, in place, as a build tool would.</summary>
    public void Overwrite(string folder, string builtPlugin)
    {
        foreach (string file in Directory.GetFiles(Built(builtPlugin)))
        {
            File.Copy(file, Path.Combine(Root, folder, Path.GetFileName(file)), overwrite: true);
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static void Copy(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (string file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }
        foreach (string directory in Directory.GetDirectories(source))
        {
            Copy(directory, Path.Combine(target, Path.GetFileName(directory)));
        }
    }
}
