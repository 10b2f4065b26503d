using System.Text.Json.Nodes;
using Notebook.Api;
using Notebook.Api.Native;
using INoteProcessor = Notebook.Api.INoteProcessor;

namespace Plugboard.Native.Tests;

/// <summary>
/// A managed plugin whose plugin.json depends on a native one (the sample WordStats on the C sample c-wordcount), in one
/// <c>PluginHost&lt;INoteProcessor&gt;</c>: the native plugin loads first, the managed one shares no assembly through
/// it, unloading or reloading the native plugin takes its managed dependent along, and a native dependency that fails
/// fails its dependent with PB0504.
/// </summary>
[Collection(SamplePluginsCollection.Name)]
public sealed class ManagedOnNativeDependencyTests
{
    private const string Body = "The host loads plugins, and plugins call the host back.";

    [Fact]
    public async Task A_managed_plugin_depending_on_a_native_one_loads_after_it_and_unloads_before_it()
    {
        string root = TestPaths.NewTempDirectory("managed-on-native");
        CopyFolder(TestPaths.SamplePlugin("c-wordcount"), Path.Combine(root, "c-wordcount"));
        CopyFolder(TestPaths.SamplePlugin("WordStats"), Path.Combine(root, "WordStats"));
        DependOn(Path.Combine(root, "WordStats"), "c-wordcount", "[1.0,2.0)");
        var loaded = new List<string>();
        var unloaded = new List<string>();
        var reloaded = new List<string>();
        await using var host = new PluginHost<INoteProcessor>(Options());
        host.PluginLoaded += (_, e) => { lock (loaded) { loaded.Add(e.PluginId); } };
        host.PluginUnloaded += (_, e) => { lock (unloaded) { unloaded.Add(e.PluginId); } };
        host.PluginReloaded += (_, e) => { lock (reloaded) { reloaded.Add(e.PluginId); } };

        PluginCatalog catalog = host.Discover(root);
        PluginLoadResult<INoteProcessor> result = await host.LoadAllAsync(catalog);

        Assert.Empty(result.Failed);
        Assert.Equal(["c-wordcount", "WordStats"], loaded); // the dependency first, although the native load ran concurrently
        LoadedPlugin<INoteProcessor> native = Assert.Single(result.Loaded, p => p.Id == "c-wordcount");
        LoadedPlugin<INoteProcessor> managed = Assert.Single(result.Loaded, p => p.Id == "WordStats");
        Assert.Equal(PluginKind.Native, native.Entry.Kind);
        Assert.Equal(PluginKind.Managed, managed.Entry.Kind);
        Assert.Equal("c-wordcount", Assert.Single(managed.Entry.Dependencies).Id);

        var store = new NotebookStore();
        Note note = store.Add(new Note("Plugins", Body));
        int words = TextTools.CountWords(Body);
        Assert.Equal($"c-wordcount: {words} words, tagged 'short'", native.Invoke(p => p.Process(note, store)));
        Assert.StartsWith($"{words} words", managed.Invoke(p => p.Process(note, store)), StringComparison.Ordinal);

        // Reloading the native plugin stops and starts its managed dependent too, dependency first again.
        ReloadResult reload = await native.ReloadAsync();
        Assert.True(reload.Succeeded, reload.Error?.ToString());
        Assert.Equal(2, native.Generation);
        Assert.Equal(2, managed.Generation);
        // As with managed plugins only: a dependent's event as it restarts on the new version, the reloaded plugin's own last.
        Assert.Equal(["WordStats", "c-wordcount"], reloaded);
        Assert.Equal($"c-wordcount: {words} words, tagged 'short'", native.Invoke(p => p.Process(note, store)));
        Assert.StartsWith($"{words} words", managed.Invoke(p => p.Process(note, store)), StringComparison.Ordinal);

        // Unloading the native plugin unloads its dependent first; the managed context is collected, the library closed.
        UnloadReport report = await native.UnloadAsync();
        Assert.True(report.Collected, report.ToString());
        Assert.Equal(["WordStats", "c-wordcount"], unloaded);
        Assert.False(managed.IsLoaded);
        Assert.Equal(PluginErrorCode.PluginUnloaded, Assert.Throws<PluginException>(() => managed.Invoke(p => p.Name)).Code);
    }

    [Fact]
    public async Task A_managed_plugin_whose_native_dependency_fails_is_PB0504_and_one_beside_it_loads()
    {
        string root = TestPaths.NewTempDirectory("managed-on-failed-native");
        CopyFolder(TestPaths.TestPlugin("init-fails"), Path.Combine(root, "init-fails"));
        CopyFolder(TestPaths.SamplePlugin("c-wordcount"), Path.Combine(root, "c-wordcount"));
        CopyFolder(TestPaths.SamplePlugin("WordStats"), Path.Combine(root, "WordStats"));
        CopyFolder(TestPaths.SamplePlugin("WordStats"), Path.Combine(root, "WordStatsOnBroken"));
        DependOn(Path.Combine(root, "WordStats"), "c-wordcount", "[1.0,2.0)");
        DependOn(Path.Combine(root, "WordStatsOnBroken"), "init-fails", "[1.0,2.0)", id: "WordStatsOnBroken");
        await using var host = new PluginHost<INoteProcessor>(Options());

        PluginLoadResult<INoteProcessor> result = await host.LoadAllAsync(host.Discover(root));

        Assert.Equal(["WordStats", "c-wordcount"], result.Loaded.Select(p => p.Id).Order(StringComparer.Ordinal));
        Assert.Equal(["WordStatsOnBroken", "init-fails"], result.Failed.Select(f => f.Entry.Id).Order(StringComparer.Ordinal));
        Assert.Equal(PluginErrorCode.NativeCallFailed, Assert.Single(result.Failed, f => f.Entry.Id == "init-fails").Error.Code);
        PluginException dependent = Assert.Single(result.Failed, f => f.Entry.Id == "WordStatsOnBroken").Error;
        Assert.Equal(PluginErrorCode.DependencyFailed, dependent.Code);
        Assert.Contains("It depends on 'init-fails', which failed to load", dependent.Message, StringComparison.Ordinal);
    }

    private static PluginHostOptions Options()
    {
        var options = new PluginHostOptions();
        TestLoaders.Notebook(options.NativePlugins);
        options.NativePlugins.ShadowCopyDirectory = Path.Combine(TestPaths.ArtifactsRoot, "tests", "shadow");
        options.AddNativeAdapter<INoteProcessor>(NoteProcessorProxy.Create);
        return options;
    }

    private static void DependOn(string folder, string dependency, string range, string? id = null)
    {
        string manifest = Path.Combine(folder, "plugin.json");
        JsonObject json = JsonNode.Parse(File.ReadAllText(manifest))!.AsObject();
        if (id is not null)
        {
            json["id"] = id;
        }
        json["dependencies"] = new JsonObject { [dependency] = range };
        File.WriteAllText(manifest, json.ToJsonString());
    }

    private static void CopyFolder(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (string file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }
    }
}
