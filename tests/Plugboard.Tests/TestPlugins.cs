using System.Reflection;

namespace Plugboard.Tests;

/// <summary>Where the test build put the real plugin projects of tests/Plugins, and scratch plugin folders made from them.</summary>
internal static class TestPlugins
{
    private static string Metadata(string key) =>
        typeof(TestPlugins).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    public static string BuiltDirectory => Metadata("TestPluginsDirectory");

    /// <summary>The source folder of the test plugin projects (tests/Plugins).</summary>
    public static string SourceDirectory => Metadata("TestPluginsSourceDirectory");

    public static string Built(string name)
    {
        string path = Path.Combine(BuiltDirectory, name);
        Assert.True(Directory.Exists(path) && Directory.GetFiles(path, "*.dll").Length > 0, $"test plugin {name} was not built into {path}");
        return path;
    }

    /// <summary>The reference assembly the compiler produced for a test plugin (obj/.../ref).</summary>
    public static string ReferenceAssembly(string name) =>
        Path.Combine(SourceDirectory, name, "obj", Metadata("Configuration"), "net10.0", "ref", name + ".dll");
}

/// <summary>A temporary plugins folder holding copies of built test plugins; deleted on dispose.</summary>
internal sealed class ScratchPlugins : IDisposable
{
    public ScratchPlugins(params string[] plugins)
    {
        Root = Path.Combine(Path.GetTempPath(), "plugboard-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        foreach (string plugin in plugins)
        {
            Add(plugin);
        }
    }

    public string Root { get; }

    /// <summary>Copies a built plugin in, optionally under another folder name.</summary>
    public string Add(string plugin, string? folderName = null)
    {
        string target = Path.Combine(Root, folderName ?? plugin);
        CopyDirectory(TestPlugins.Built(plugin), target);
        return target;
    }

    public string PathOf(string folder, string file) => Path.Combine(Root, folder, file);

    /// <summary>Overwrites the files of a plugin folder with another build's files, in place (like a build tool).</summary>
    public void Overwrite(string folder, string builtPlugin)
    {
        string source = TestPlugins.Built(builtPlugin);
        foreach (string file in Directory.GetFiles(source))
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
    }

    internal static void CopyDirectory(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (string file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }
        foreach (string directory in Directory.GetDirectories(source))
        {
            CopyDirectory(directory, Path.Combine(target, Path.GetFileName(directory)));
        }
    }
}
