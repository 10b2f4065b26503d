using Notebook.Api;
using Notebook.Api.Native;
using INoteProcessor = Notebook.Api.INoteProcessor;

namespace Plugboard.Native.Tests;

/// <summary>A contract of this test assembly that the C test plugins serve through an adapter.</summary>
public interface ITextPlugin
{
    string Version();

    string Run(string operation, string input);

    /// <summary>Where the host says the plugin's library is.</summary>
    string LibraryPath { get; }
}

/// <summary>The host's adapter from a C test plugin to <see cref="ITextPlugin"/>.</summary>
internal sealed class TextAdapter(NativePlugin plugin) : ITextPlugin
{
    public string Version() => plugin.Invoke("version", string.Empty);

    public string Run(string operation, string input) => plugin.Invoke(operation, input);

    public string LibraryPath => plugin.LibraryPath;
}

/// <summary>
/// Native plugins through <see cref="PluginHost{TContract}"/>: one entry point, one list, the same lifecycle, events
/// and errors as managed plugins.
/// </summary>
[Collection(SamplePluginsCollection.Name)]
public sealed class HostedNativePluginTests
{
    private static PluginHostOptions TextOptions(Action<PluginHostOptions>? configure = null)
    {
        var options = new PluginHostOptions();
        options.NativePlugins.ShadowCopyDirectory = Path.Combine(TestPaths.ArtifactsRoot, "tests", "shadow");
        options.AddNativeAdapter<ITextPlugin>(plugin => new TextAdapter(plugin));
        configure?.Invoke(options);
        return options;
    }

    /// <summary>A folder whose library is reload-v1's, under a name that stays the same when "rebuilt" as v2.</summary>
    private static (string Root, string Library) ReloadFolder()
    {
        string root = TestPaths.NewTempDirectory("hosted-reload");
        string folder = Directory.CreateDirectory(Path.Combine(root, "reload")).FullName;
        File.WriteAllText(Path.Combine(folder, "plugin.json"),
            """{"id":"reload","version":"1.0.0","kind":"native","native":{"abiMajor":1,"libraries":{"linux-x64":"libreload.so"}}}""");
        string library = Path.Combine(folder, "libreload.so");
        File.Copy(Path.Combine(TestPaths.TestPlugin("reload-v1"), "libreload-v1.so"), library);
        return (root, library);
    }

    [Fact]
    public async Task LoadAllAsync_gives_native_sample_plugins_as_INoteProcessor_in_one_list_with_the_managed_ones()
    {
        var options = new PluginHostOptions();
        TestLoaders.Notebook(options.NativePlugins);
        options.NativePlugins.ShadowCopyDirectory = Path.Combine(TestPaths.ArtifactsRoot, "tests", "shadow");
        options.AddNativeAdapter<INoteProcessor>(NoteProcessorProxy.Create);
        await using var host = new PluginHost<INoteProcessor>(options);
        var loadedEvents = new List<string>();
        var unloadedEvents = new List<string>();
        host.PluginLoaded += (_, e) => loadedEvents.Add(e.PluginId);
        host.PluginUnloaded += (_, e) => unloadedEvents.Add(e.PluginId);

        PluginLoadResult<INoteProcessor> result = await host.LoadAllAsync(host.Discover(TestPaths.SamplePlugins));

        Assert.Empty(result.Skipped);
        Assert.Equal(["Misconfigured"], result.Failed.Select(f => f.Entry.Id));
        LoadedPlugin<INoteProcessor> wordCount = Assert.Single(result.Loaded, p => p.Id == "c-wordcount");
        Assert.Equal(PluginKind.Native, wordCount.Entry.Kind);
        Assert.Contains(result.Loaded, p => p.Entry.Kind == PluginKind.Managed);
        // Proofreader serves INoteChecker too (the sample host runs it out of process that way); as INoteProcessor it
        // loads here like the others, in process.
        Assert.Equal(PluginIsolation.InProcess, Assert.Single(result.Loaded, p => p.Id == "Proofreader").Isolation);
        Assert.Equal(result.Loaded.Select(p => p.Id).Order(), loadedEvents.Order());

        var store = new NotebookStore();
        Note note = store.Add(new Note("Plugins", "The host loads plugins, and plugins call the host back."));
        Assert.Equal($"c-wordcount: {TextTools.CountWords(note.Body)} words, tagged 'short'", wordCount.Invoke(p => p.Process(note, store)));
        Assert.True(wordCount.Invoke(p => p is NoteProcessorProxy), "c-wordcount is called through the generated proxy");
        Assert.Equal(TextTools.CountWords(note.Body), note.Metrics["words"]);
        LoadedPlugin<INoteProcessor> keywords = Assert.Single(result.Loaded, p => p.Id == "rust-keywords");
        Assert.Equal("rust-keywords: top word 'host', 7 distinct words", keywords.Invoke(p => p.Process(note, store)));
        Assert.True(keywords.Invoke(p => p is NoteProcessorProxy), "rust-keywords is called through the generated proxy");
        Assert.True(note.Tags.Contains("kw-host"), note.Tags.ToString());
        Assert.Equal(7, note.Metrics["unique_words"]);

        UnloadReport report = await wordCount.UnloadAsync();
        Assert.True(report.Collected, report.ToString()); // c-wordcount declares itself unloadable: its library was closed
        Assert.Equal(0, report.Collections);
        Assert.Equal(["c-wordcount"], unloadedEvents);
        Assert.False(wordCount.IsLoaded);
        Assert.Equal(PluginState.Unloaded, wordCount.State);
        PluginException gone = Assert.Throws<PluginException>(() => wordCount.Invoke(p => p.Name));
        Assert.Equal(PluginErrorCode.PluginUnloaded, gone.Code);

        IReadOnlyList<UnloadReport> rest = await host.UnloadAllAsync();
        UnloadReport rust = Assert.Single(rest, r => r.PluginId == "rust-keywords");
        Assert.False(rust.Collected);
        Assert.Contains("its native library stays mapped: it does not declare itself unloadable", Assert.Single(rust.Suspects), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_native_plugin_reloads_through_the_host_with_the_same_events_as_a_managed_one()
    {
        (string root, string library) = ReloadFolder();
        await using var host = new PluginHost<ITextPlugin>(TextOptions());
        var reloaded = new List<PluginEventArgs>();
        host.PluginReloaded += (_, e) => reloaded.Add(e);
        LoadedPlugin<ITextPlugin> plugin = Assert.Single((await host.LoadAllAsync(host.Discover(root))).Loaded);
        Assert.Equal("1.0.0", plugin.Invoke(p => p.Version()));

        File.Delete(library); // a rebuild writes a new file (a new inode)
        File.Copy(Path.Combine(TestPaths.TestPlugin("reload-v2"), "libreload-v2.so"), library);
        ReloadResult result = await plugin.ReloadAsync();

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Equal("2.0.0", plugin.Invoke(p => p.Version()));
        Assert.Equal(2, plugin.Generation);
        PluginEventArgs e = Assert.Single(reloaded);
        Assert.Equal("reload", e.PluginId);
        Assert.NotNull(e.Unload);
        Assert.False(e.Unload!.Collected); // the test plugin does not declare itself unloadable: the report says so
        Assert.Contains("stays mapped", Assert.Single(e.Unload.Suspects), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_native_library_swapped_after_discovery_is_not_what_runs_the_vetted_bytes_are()
    {
        (string root, string library) = ReloadFolder();
        string lockFile = Path.Combine(root, "..", Path.GetFileName(root) + ".lock.json");
        Trust.PluginLockFile.Create(root).Save(lockFile);
        await using var host = new PluginHost<ITextPlugin>(TextOptions(o => o.Trust = new Trust.PluginTrustPolicy { LockFilePath = lockFile }));
        PluginCatalog catalog = host.Discover(root); // hashes v1 against the lock: vetted

        // An attacker with write access to the folder replaces the library after the check, before the load opens it.
        File.Delete(library);
        File.Copy(Path.Combine(TestPaths.TestPlugin("reload-v2"), "libreload-v2.so"), library);
        PluginLoadResult<ITextPlugin> result = await host.LoadAllAsync(catalog);

        Assert.True(result.Failed.Count == 0, string.Join(Environment.NewLine, result.Failed.Select(f => f.Error.Message)));
        LoadedPlugin<ITextPlugin> plugin = Assert.Single(result.Loaded);
        Assert.Equal("1.0.0", plugin.Invoke(p => p.Version())); // the bytes hashed at discovery, not the swapped file
        Assert.Equal(library, plugin.Invoke(p => p.LibraryPath)); // named by where the user put it, not by the private copy
        File.Delete(lockFile);
    }

    [Fact]
    public async Task A_native_plugin_the_lock_file_does_not_list_runs_out_of_process_when_unvetted_plugins_must_and_in_process_once_listed()
    {
        (string root, _) = ReloadFolder();
        string emptyRoot = Directory.CreateDirectory(Path.Combine(root, "..", Path.GetFileName(root) + "-none")).FullName;
        string unlistedLock = Path.Combine(root, "..", Path.GetFileName(root) + ".unlisted.lock.json");
        string listedLock = Path.Combine(root, "..", Path.GetFileName(root) + ".listed.lock.json");
        Trust.PluginLockFile.Create(emptyRoot).Save(unlistedLock);
        Trust.PluginLockFile.Create(root).Save(listedLock);
        try
        {
            await using (var host = new PluginHost<ITextPlugin>(TextOptions(o => o.Trust = new Trust.PluginTrustPolicy { LockFilePath = unlistedLock, IsolateUnlistedPlugins = true })))
            {
                PluginCatalog catalog = host.Discover(root);
                Assert.Equal(PluginIsolation.OutOfProcess, Assert.Single(catalog.Entries).RequiredIsolation);
                PluginLoadResult<ITextPlugin> result = await host.LoadAllAsync(catalog);
                Assert.Empty(result.Failed.Select(f => f.Error.Message));
                // In a worker of its own (the adapter, a lambda that captures nothing, made anew there), called through the same contract.
                LoadedPlugin<ITextPlugin> isolated = Assert.Single(result.Loaded);
                Assert.Equal(PluginIsolation.OutOfProcess, isolated.Isolation);
                Assert.NotNull(isolated.WorkerProcessId);
                Assert.NotEqual(Environment.ProcessId, isolated.WorkerProcessId);
                Assert.Equal("1.0.0", isolated.Invoke(p => p.Version()));
            }

            await using var vetted = new PluginHost<ITextPlugin>(TextOptions(o => o.Trust = new Trust.PluginTrustPolicy { LockFilePath = listedLock, IsolateUnlistedPlugins = true }));
            LoadedPlugin<ITextPlugin> plugin = Assert.Single((await vetted.LoadAllAsync(vetted.Discover(root))).Loaded);
            Assert.Equal(PluginIsolation.InProcess, plugin.Isolation);
            Assert.Equal("1.0.0", plugin.Invoke(p => p.Version()));
        }
        finally
        {
            File.Delete(unlistedLock);
            File.Delete(listedLock);
        }
    }

    [Fact]
    public async Task NativePluginLoader_used_directly_applies_no_trust_policy_where_the_host_refuses()
    {
        (string root, string library) = ReloadFolder();
        string lockFile = Path.Combine(root, "..", Path.GetFileName(root) + ".lock.json");
        Trust.PluginLockFile.Create(root).Save(lockFile);
        // The library changes after the lock file was written: not the bytes the lock file vouches for.
        File.Delete(library);
        File.Copy(Path.Combine(TestPaths.TestPlugin("reload-v2"), "libreload-v2.so"), library);

        await using (var host = new PluginHost<ITextPlugin>(TextOptions(o => o.Trust = new Trust.PluginTrustPolicy { LockFilePath = lockFile })))
        {
            PluginLoadResult<ITextPlugin> result = await host.LoadAllAsync(host.Discover(root));
            Assert.Empty(result.Loaded);
            PluginFailure refused = Assert.Single(result.Failed);
            Assert.Equal("reload", refused.Entry.Id);
            Assert.Equal(PluginErrorCode.IntegrityCheckFailed, refused.Error.Code);
        }

        // The loader on its own knows no lock file and no trust policy: it opens what is in the folder when Load runs.
        using NativePlugin direct = TestLoaders.Create().Load(Path.Combine(root, "reload"));
        Assert.Equal("2.0.0", direct.Invoke("version", string.Empty));
        File.Delete(lockFile);
    }

    [Fact]
    public async Task A_native_plugin_that_keeps_failing_is_faulted_like_a_managed_one()
    {
        string root = TestPaths.PluginsFolder("hosted-fault", ("echo", "echo"));
        await using var host = new PluginHost<ITextPlugin>(TextOptions(o => o.FaultThreshold = 2));
        PluginEventArgs? faulted = null;
        host.PluginFaulted += (_, e) => faulted = e;
        LoadedPlugin<ITextPlugin> plugin = Assert.Single((await host.LoadAllAsync(host.Discover(root))).Loaded);
        Assert.Equal("hi", plugin.Invoke(p => p.Run("echo", "hi")));

        for (int i = 0; i < 2; i++)
        {
            PluginException call = Assert.Throws<PluginException>(() => plugin.Invoke(p => p.Run("no-such-op", string.Empty)));
            Assert.Equal(PluginErrorCode.NativeCallFailed, call.Code);
        }

        Assert.True(plugin.IsFaulted);
        Assert.Equal(PluginState.Faulted, plugin.State);
        Assert.Equal(PluginErrorCode.PluginFaulted, faulted?.Error?.Code);
        Assert.Equal(PluginErrorCode.PluginFaulted, Assert.Throws<PluginException>(() => plugin.Invoke(p => p.Version())).Code);
    }

    [Fact]
    public async Task Without_an_adapter_native_plugins_are_skipped_as_not_this_contract_and_a_NativePlugin_host_needs_none()
    {
        string root = TestPaths.PluginsFolder("hosted-skip", ("echo-unloadable", "echo-unloadable"));
        var noAdapter = new PluginHostOptions();
        noAdapter.NativePlugins.ShadowCopyDirectory = Path.Combine(TestPaths.ArtifactsRoot, "tests", "shadow");
        await using (var host = new PluginHost<ITextPlugin>(noAdapter))
        {
            PluginLoadResult<ITextPlugin> result = await host.LoadAllAsync(host.Discover(root));
            Assert.Empty(result.Loaded);
            Assert.Empty(result.Failed);
            Assert.Equal("echo-unloadable", Assert.Single(result.Skipped).Id);
            PluginException refused = await Assert.ThrowsAsync<PluginException>(() => host.LoadAsync(result.Skipped[0]));
            Assert.Equal(PluginErrorCode.LoadFailed, refused.Code);
            Assert.Contains("It is a native plugin, and this host has no way to give such plugins as Plugboard.Native.Tests.ITextPlugin.", refused.Message, StringComparison.Ordinal);
            Assert.Contains("Register an adapter with PluginHostOptions.AddNativeAdapter<ITextPlugin>(...), or load it in a PluginHost<NativePlugin>.", refused.Message, StringComparison.Ordinal);
        }

        await using var raw = new PluginHost<NativePlugin>(TextOptions());
        LoadedPlugin<NativePlugin> plugin = Assert.Single((await raw.LoadAllAsync(raw.Discover(root))).Loaded);
        Assert.Equal("raw", plugin.Invoke(p => p.Invoke("echo", "raw")));
        Assert.True((await plugin.UnloadAsync()).Collected);
    }

    [Fact]
    public async Task An_adapter_that_throws_fails_the_plugin_with_PB0311_and_the_others_load()
    {
        string root = TestPaths.PluginsFolder("hosted-adapter", ("echo", "echo"), ("echo-unloadable", "echo-unloadable"));
        var options = new PluginHostOptions();
        options.NativePlugins.ShadowCopyDirectory = Path.Combine(TestPaths.ArtifactsRoot, "tests", "shadow");
        options.AddNativeAdapter<ITextPlugin>(plugin => plugin.Id == "echo" ? throw new InvalidOperationException("no adapter for echo") : new TextAdapter(plugin));
        await using var host = new PluginHost<ITextPlugin>(options);

        PluginLoadResult<ITextPlugin> result = await host.LoadAllAsync(host.Discover(root));

        PluginFailure failure = Assert.Single(result.Failed);
        Assert.Equal(PluginErrorCode.NativeAdapterFailed, failure.Error.Code);
        Assert.Contains("The host's adapter from the native plugin to Plugboard.Native.Tests.ITextPlugin failed: InvalidOperationException: no adapter for echo", failure.Error.Message, StringComparison.Ordinal);
        Assert.Equal("echo-unloadable", Assert.Single(result.Loaded).Id);
    }
}
