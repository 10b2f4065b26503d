namespace Plugboard.Native.Tests;

/// <summary>
/// The loader opens exactly the file it checked: full paths go to dlopen unchanged, symbolic links are resolved in the
/// library and in every folder on the way (PB0107 when they lead outside), and duplicate ids are refused as the catalog does.
/// </summary>
public sealed class LoaderContainmentTests
{
    private const string EchoManifest = """{"id":"echo","version":"1.0.0","kind":"native","native":{"abiMajor":1,"libraries":{"linux-x64":"LIB"}}}""";

    [Fact]
    public void A_manifest_naming_a_file_without_suffix_loads_that_file_not_a_lib_prefixed_neighbour()
    {
        string outside = TestPaths.NewTempDirectory("outside");
        File.Copy(Path.Combine(TestPaths.TestPlugin("stash-sink"), "libstash-sink.so"), Path.Combine(outside, "libstash-sink.so"));
        string folder = TestPaths.NewTempDirectory("suffix");
        File.WriteAllText(Path.Combine(folder, "plugin.json"), EchoManifest.Replace("LIB", "plugin", StringComparison.Ordinal));
        File.Copy(Path.Combine(TestPaths.TestPlugin("echo"), "libecho.so"), Path.Combine(folder, "plugin"));
        File.CreateSymbolicLink(Path.Combine(folder, "libplugin.so"), Path.Combine(outside, "libstash-sink.so"));

        using NativePlugin plugin = new NativePluginLoader().Load(folder);

        Assert.Equal("echo", plugin.Id);
        Assert.Equal(Path.Combine(folder, "plugin"), plugin.LoadedFrom);
        Assert.Equal("as checked", plugin.Invoke("echo", "as checked"));
    }

    [Fact]
    public void A_library_in_a_symlinked_folder_that_leads_outside_is_PB0107()
    {
        string outside = TestPaths.NewTempDirectory("outside");
        File.Copy(Path.Combine(TestPaths.TestPlugin("echo"), "libecho.so"), Path.Combine(outside, "libecho.so"));
        string folder = TestPaths.NewTempDirectory("linked-folder");
        File.WriteAllText(Path.Combine(folder, "plugin.json"), EchoManifest.Replace("LIB", "lib/libecho.so", StringComparison.Ordinal));
        Directory.CreateSymbolicLink(Path.Combine(folder, "lib"), outside);

        var e = Assert.Throws<PluginException>(() => TestLoaders.Create().Load(folder));

        Assert.Equal(PluginErrorCode.PathEscapesPluginDirectory, e.Code);
        Assert.Contains($"resolves through a symbolic link to '{Path.Combine(outside, "libecho.so")}' outside the plugin folder", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_symlinked_library_that_leads_outside_is_PB0107()
    {
        string outside = TestPaths.NewTempDirectory("outside");
        File.Copy(Path.Combine(TestPaths.TestPlugin("echo"), "libecho.so"), Path.Combine(outside, "libecho.so"));
        string folder = TestPaths.NewTempDirectory("linked-file");
        File.WriteAllText(Path.Combine(folder, "plugin.json"), EchoManifest.Replace("LIB", "libecho.so", StringComparison.Ordinal));
        File.CreateSymbolicLink(Path.Combine(folder, "libecho.so"), Path.Combine(outside, "libecho.so"));

        var e = Assert.Throws<PluginException>(() => TestLoaders.Create().Load(folder));

        Assert.Equal(PluginErrorCode.PathEscapesPluginDirectory, e.Code);
    }

    [Fact]
    public void A_symlink_that_stays_inside_the_plugin_folder_loads()
    {
        string folder = TestPaths.NewTempDirectory("linked-inside");
        Directory.CreateDirectory(Path.Combine(folder, "real"));
        File.Copy(Path.Combine(TestPaths.TestPlugin("echo"), "libecho.so"), Path.Combine(folder, "real", "libecho.so"));
        Directory.CreateSymbolicLink(Path.Combine(folder, "lib"), Path.Combine(folder, "real"));
        File.WriteAllText(Path.Combine(folder, "plugin.json"), EchoManifest.Replace("LIB", "lib/libecho.so", StringComparison.Ordinal));

        using NativePlugin plugin = TestLoaders.Create().Load(folder);

        Assert.Equal("inside", plugin.Invoke("echo", "inside"));
    }

    [Fact]
    public void LoadAll_refuses_both_folders_of_a_duplicate_id_with_PB0105_like_the_catalog()
    {
        string root = TestPaths.NewTempDirectory("duplicates");
        foreach (string name in new[] { "a-echo", "b-echo-copy" })
        {
            string folder = Directory.CreateDirectory(Path.Combine(root, name)).FullName;
            foreach (string file in Directory.GetFiles(TestPaths.TestPlugin("echo")))
            {
                File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
            }
        }

        IReadOnlyList<NativePlugin> loaded = TestLoaders.Create().LoadAll(root, out IReadOnlyList<PluginException> failures);

        Assert.Empty(loaded);
        Assert.Equal(2, failures.Count);
        Assert.All(failures, f => Assert.Equal(PluginErrorCode.DuplicatePluginId, f.Code));
        Assert.Contains("2 plugin folders declare the id 'echo'", failures[0].Message, StringComparison.Ordinal);
        Assert.Contains("none is loaded", failures[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadAll_of_given_folders_refuses_a_duplicate_id_too()
    {
        string root = TestPaths.NewTempDirectory("duplicates-given");
        string copy = Directory.CreateDirectory(Path.Combine(root, "echo-copy")).FullName;
        foreach (string file in Directory.GetFiles(TestPaths.TestPlugin("echo")))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }

        IReadOnlyList<NativePlugin> loaded = TestLoaders.Create().LoadAll([TestPaths.TestPlugin("echo"), copy, TestPaths.TestPlugin("echo-threadsafe")], out IReadOnlyList<PluginException> failures);
        try
        {
            Assert.Equal(["echo-threadsafe"], loaded.Select(p => p.Id));
            Assert.Equal(2, failures.Count(f => f.Code == PluginErrorCode.DuplicatePluginId && f.PluginId == "echo"));
        }
        finally
        {
            foreach (NativePlugin plugin in loaded)
            {
                plugin.Dispose();
            }
        }
    }
}
