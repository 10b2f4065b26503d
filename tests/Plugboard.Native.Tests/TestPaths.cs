using System.Reflection;

namespace Plugboard.Native.Tests;

/// <summary>Where the build put the compiled test and sample plugins.</summary>
internal static class TestPaths
{
    public static string ArtifactsRoot { get; } = Metadata("ArtifactsRoot");

    public static string RepoRoot { get; } = Metadata("RepoRoot");

    public static string TestPlugins => Path.Combine(ArtifactsRoot, "tests", "native-plugins");

    public static string SamplePlugins => Path.Combine(ArtifactsRoot, "samples", "plugins");

    public static string TestPlugin(string name)
    {
        string path = Path.Combine(TestPlugins, name);
        Assert.True(Directory.Exists(path), $"Test plugin '{name}' was not built to {path}. Is a C compiler installed?");
        return path;
    }

    public static string SamplePlugin(string name)
    {
        string path = Path.Combine(SamplePlugins, name);
        Assert.True(Directory.Exists(path), $"Sample plugin '{name}' was not built to {path}. Is its toolchain installed?");
        return path;
    }

    /// <summary>A fresh empty folder under the test artifacts; not deleted, so failures can be inspected.</summary>
    public static string NewTempDirectory(string name)
    {
        string path = Path.Combine(ArtifactsRoot, "tests", "tmp", name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>A fresh plugins folder holding a copy of each test plugin named, in a sub-folder of the name given.</summary>
    public static string PluginsFolder(string name, params (string Source, string Folder)[] plugins)
    {
        string root = NewTempDirectory(name);
        foreach ((string source, string folderName) in plugins)
        {
            string folder = Directory.CreateDirectory(Path.Combine(root, folderName)).FullName;
            foreach (string file in Directory.GetFiles(TestPlugin(source)))
            {
                File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
            }
        }
        return root;
    }

    private static string Metadata(string key) =>
        typeof(TestPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
