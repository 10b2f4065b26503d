namespace Plugboard.Tests;

/// <summary>
/// Lifecycle operations have defined outcomes under cancellation and timeouts: they complete, or roll back to the
/// previous state and say so; no call spins on a state that cannot change; events are raised outside the lifecycle lock.
/// </summary>
public sealed class LifecycleOutcomeTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    /// <summary>A call on the current version that stays in flight until released.</summary>
    private sealed class HeldCall : IDisposable
    {
        private readonly ManualResetEventSlim _entered = new();
        private readonly ManualResetEventSlim _release = new();

        public HeldCall(LoadedPlugin<ILedgerPlugin> plugin)
        {
            Call = Task.Run(() => plugin.Invoke(p =>
            {
                p.Create(1m, "held");
                _entered.Set();
                _release.Wait(TimeSpan.FromSeconds(30));
                return p.Describe();
            }));
            Assert.True(_entered.Wait(Bound), "the held call never started");
        }

        public Task<string> Call { get; }

        public void Release() => _release.Set();

        public void Dispose()
        {
            _release.Set();
            _entered.Dispose();
        }
    }

    private static async Task<(PluginFolder Plugins, PluginHost<ILedgerPlugin> Host, LoadedPlugin<ILedgerPlugin> Plugin)> LoadReloadableAsync(PluginHostOptions? options = null)
    {
        var plugins = new PluginFolder();
        plugins.Add("ReloadablePlugin");
        var host = new PluginHost<ILedgerPlugin>(options);
        LoadedPlugin<ILedgerPlugin> plugin = Assert.Single((await host.LoadAllAsync(host.Discover(plugins.Root))).Loaded);
        return (plugins, host, plugin);
    }

    /// <summary>A call from another thread, bounded: on a plugin stuck in a state that cannot change it would never return.</summary>
    private static string CallWithin(LoadedPlugin<ILedgerPlugin> plugin, TimeSpan bound)
    {
        Task<string> call = Task.Run(() => plugin.Invoke(p => p.Describe()));
        Assert.True(call.Wait(bound), $"a call did not return within {bound.TotalSeconds} s: the plugin is stuck ({plugin.State})");
        return call.Result;
    }

    [Fact]
    public async Task A_state_transfer_reload_whose_drain_times_out_fails_with_PB0312_and_the_old_version_keeps_serving()
    {
        (PluginFolder plugins, PluginHost<ILedgerPlugin> host, LoadedPlugin<ILedgerPlugin> plugin) =
            await LoadReloadableAsync(new PluginHostOptions { DrainTimeout = TimeSpan.FromMilliseconds(300) });
        using (plugins)
        await using (host)
        {
            var failures = new List<PluginEventArgs>();
            host.PluginReloadFailed += (_, e) => failures.Add(e);
            plugins.Overwrite("ReloadablePlugin", "ReloadablePluginV2");
            using var held = new HeldCall(plugin);

            ReloadResult result = await plugin.ReloadAsync();

            Assert.False(result.Succeeded);
            Assert.Equal(PluginErrorCode.ReloadDrainTimedOut, result.Error!.Code);
            Assert.Contains("1 call(s) were still running on version 1.0.0 after the drain timeout (00:00:00.3000000)", result.Error.Message, StringComparison.Ordinal);
            Assert.Equal(PluginErrorCode.ReloadDrainTimedOut, Assert.Single(failures).Error!.Code);
            Assert.Equal(1, plugin.Generation);
            Assert.Equal(PluginState.Active, plugin.State);
            held.Release();
            Assert.Equal("v1:1", await held.Call); // the held call finished on the old version, its update kept
            Assert.Equal("v1:1", CallWithin(plugin, Bound));

            ReloadResult retry = await plugin.ReloadAsync(); // nothing in flight now: the state is handed over
            Assert.True(retry.Succeeded, retry.ToString());
            Assert.Equal("v2:1", plugin.Invoke(p => p.Describe()));
        }
    }

    [Fact]
    public async Task Cancelling_a_state_transfer_reload_during_the_drain_rolls_back_with_PB0313_and_calls_go_on()
    {
        (PluginFolder plugins, PluginHost<ILedgerPlugin> host, LoadedPlugin<ILedgerPlugin> plugin) = await LoadReloadableAsync();
        using (plugins)
        await using (host)
        {
            plugins.Overwrite("ReloadablePlugin", "ReloadablePluginV2");
            using var held = new HeldCall(plugin);
            using var cancel = new CancellationTokenSource();

            Task<ReloadResult> reload = plugin.ReloadAsync(cancel.Token);
            Assert.True(SpinWait.SpinUntil(() => plugin.State == PluginState.Reloading && reload.IsCompleted is false, Bound));
            await Task.Delay(300); // the new version loads, then the old one drains (the held call keeps it from finishing)
            cancel.Cancel();
            ReloadResult result = await reload.WaitAsync(Bound);

            Assert.False(result.Succeeded);
            Assert.Equal(PluginErrorCode.ReloadCanceled, result.Error!.Code);
            Assert.Equal(PluginState.Active, plugin.State);
            Assert.Equal(1, plugin.Generation);
            Assert.Equal("v1:1", CallWithin(plugin, Bound)); // on main this call spun forever on a retiring version
            held.Release();
            Assert.Equal("v1:1", await held.Call);
        }
    }

    [Fact]
    public async Task Disposing_a_watcher_during_a_state_transfer_reload_rolls_it_back_and_calls_go_on()
    {
        (PluginFolder plugins, PluginHost<ILedgerPlugin> host, LoadedPlugin<ILedgerPlugin> plugin) = await LoadReloadableAsync();
        using (plugins)
        await using (host)
        {
            var failures = new List<PluginEventArgs>();
            host.PluginReloadFailed += (_, e) => failures.Add(e);
            PluginDirectoryWatcher<ILedgerPlugin> watcher = host.Watch(plugins.Root, TimeSpan.FromMilliseconds(100));
            using var held = new HeldCall(plugin);

            plugins.Overwrite("ReloadablePlugin", "ReloadablePluginV2");
            // The watcher's reload loads v2, then waits for the held call to drain from v1.
            Assert.True(SpinWait.SpinUntil(() => plugin.State == PluginState.Reloading, TimeSpan.FromSeconds(60)), "the watcher never started the reload");
            await Task.Delay(500);
            await watcher.DisposeAsync().AsTask().WaitAsync(Bound);

            Assert.Equal(PluginState.Active, plugin.State);
            Assert.Equal(1, plugin.Generation);
            Assert.Contains(failures, f => f.Error?.Code == PluginErrorCode.ReloadCanceled);
            Assert.Equal("v1:1", CallWithin(plugin, Bound));
            held.Release();
            Assert.Equal("v1:1", await held.Call);
        }
    }

    [Fact]
    public async Task A_cancelled_unload_that_already_began_completes_runs_the_stop_hook_and_returns_its_report()
    {
        var journal = new Journal();
        using var plugins = new PluginFolder("LifecyclePlugin");
        await using var host = new PluginHost<ILedgerPlugin>(new PluginHostOptions { Services = new ServiceMap().With(journal) });
        LoadedPlugin<ILedgerPlugin> plugin = Assert.Single((await host.LoadAllAsync(host.Discover(plugins.Root))).Loaded);
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        Task call = Task.Run(() => plugin.Invoke(p =>
        {
            entered.Set();
            release.Wait(TimeSpan.FromSeconds(30));
        }));
        Assert.True(entered.Wait(Bound));
        using var cancel = new CancellationTokenSource();

        Task<UnloadReport> unload = plugin.UnloadAsync(cancel.Token);
        await Task.Delay(200); // the unload began: it is draining the call in flight
        cancel.Cancel();
        release.Set();
        UnloadReport report = await unload.WaitAsync(Bound);
        await call;

        Assert.Contains("stop", journal.Lines);
        Assert.Equal("LifecyclePlugin", report.PluginId);
        Assert.Equal(PluginState.Unloaded, plugin.State);
        Assert.Empty(host.Plugins);
    }

    [Fact]
    public async Task An_event_handler_may_wait_for_a_lifecycle_operation_without_deadlocking()
    {
        using var plugins = new PluginFolder("IdentityPlugin");
        await using var host = new PluginHost<ILedgerPlugin>();
        var unloaded = new List<bool>();
        host.PluginLoaded += (_, e) =>
        {
            // Handlers run after the lifecycle lock is released: waiting for another operation here must not deadlock.
            LoadedPlugin<ILedgerPlugin> loaded = host.Plugins.Single(p => p.Id == e.PluginId);
            unloaded.Add(loaded.UnloadAsync().Wait(Bound));
        };

        Task<PluginLoadResult<ILedgerPlugin>> load = host.LoadAllAsync(host.Discover(plugins.Root));

        await load.WaitAsync(Bound + Bound); // a TimeoutException here: LoadAllAsync deadlocked with its event handler
        Assert.Equal([true], unloaded);
        Assert.Empty(host.Plugins);
    }

    [Fact]
    public async Task Cancelling_LoadAllAsync_leaves_every_plugin_started_or_unloaded_and_the_result_says_which()
    {
        using var plugins = new PluginFolder("IdentityPlugin", "LifecyclePlugin");
        var journal = new Journal();
        await using var host = new PluginHost<ILedgerPlugin>(new PluginHostOptions
        {
            Services = new ServiceMap().With(journal),
            Settings = id => id == "LifecyclePlugin" ? new Dictionary<string, string> { ["Init"] = "hang" } : null,
            InitializationTimeout = TimeSpan.FromSeconds(30),
        });
        var loadedEvents = new List<string>();
        host.PluginLoaded += (_, e) => loadedEvents.Add(e.PluginId);
        var unloaded = new List<(string, UnloadReport)>();
        host.PluginUnloaded += (_, e) => unloaded.Add((e.PluginId, e.Unload!));
        PluginCatalog catalog = host.Discover(plugins.Root);
        using var cancel = new CancellationTokenSource();

        Task<PluginLoadResult<ILedgerPlugin>> load = host.LoadAllAsync(catalog, cancel.Token);
        // IdentityPlugin is loaded and initialized (not yet started: start hooks run once all are initialized), and
        // LifecyclePlugin's initialize hook hangs: cancel now.
        Assert.True(SpinWait.SpinUntil(() => journal.Lines.Any(l => l.StartsWith("init LifecyclePlugin", StringComparison.Ordinal)), Bound), "LifecyclePlugin never began to initialize");
        cancel.Cancel();
        PluginLoadResult<ILedgerPlugin> result = await load.WaitAsync(Bound);

        Assert.Empty(host.Plugins);
        Assert.Empty(result.Loaded);
        Assert.Empty(loadedEvents);
        Assert.Equal(["IdentityPlugin", "LifecyclePlugin"], result.Failed.Select(f => f.Entry.Id).Order(StringComparer.Ordinal));
        PluginException identity = result.Failed.Single(f => f.Entry.Id == "IdentityPlugin").Error;
        Assert.Equal(PluginErrorCode.LoadCanceled, identity.Code);
        Assert.Contains("The load was cancelled after the plugin was loaded and initialized but before it started; it was unloaded.", identity.Message, StringComparison.Ordinal);
        PluginException lifecycle = result.Failed.Single(f => f.Entry.Id == "LifecyclePlugin").Error;
        Assert.Equal(PluginErrorCode.LoadCanceled, lifecycle.Code);
        Assert.Contains("The load was cancelled while the plugin was loading or initializing; nothing of it stays loaded.", lifecycle.Message, StringComparison.Ordinal);
        (string id, UnloadReport report) = Assert.Single(unloaded);
        Assert.Equal("IdentityPlugin", id);
        Assert.True(report.Collected, report.ToString());
    }

    [Fact]
    public async Task A_catalog_load_cancelled_before_it_began_throws_and_nothing_changed()
    {
        using var plugins = new PluginFolder("IdentityPlugin");
        await using var host = new PluginHost<ILedgerPlugin>();
        PluginCatalog catalog = host.Discover(plugins.Root);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => host.LoadAllAsync(catalog, new CancellationToken(canceled: true)));

        Assert.Empty(host.Plugins);
    }

    [Fact]
    public async Task Cancelling_LoadAsync_while_the_plugin_initializes_throws_and_nothing_of_it_stays_loaded()
    {
        using var plugins = new PluginFolder("LifecyclePlugin");
        var journal = new Journal();
        await using var host = new PluginHost<ILedgerPlugin>(new PluginHostOptions
        {
            Services = new ServiceMap().With(journal),
            Settings = _ => new Dictionary<string, string> { ["Init"] = "hang" },
            InitializationTimeout = TimeSpan.FromSeconds(30),
        });
        PluginCatalogEntry entry = host.Inspect(Path.Combine(plugins.Root, "LifecyclePlugin"));
        using var cancel = new CancellationTokenSource();

        Task<LoadedPlugin<ILedgerPlugin>> load = host.LoadAsync(entry, cancel.Token);
        Assert.True(SpinWait.SpinUntil(() => journal.Lines.Any(l => l.StartsWith("init LifecyclePlugin", StringComparison.Ordinal)), Bound), "LifecyclePlugin never began to initialize");
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => load.WaitAsync(Bound));
        Assert.Empty(host.Plugins);
    }

    /// <summary>A host with IdentityPlugin loaded and active, and LifecyclePlugin's start hook set to <paramref name="start"/>'s value when it loads.</summary>
    private static async Task<(PluginHost<ILedgerPlugin> Host, LoadedPlugin<ILedgerPlugin> Identity, PluginCatalogEntry Lifecycle, Journal Journal)> HostWithStartHook(
        PluginFolder plugins, System.Runtime.CompilerServices.StrongBox<string> start)
    {
        var journal = new Journal();
        var host = new PluginHost<ILedgerPlugin>(new PluginHostOptions
        {
            Services = new ServiceMap().With(journal),
            Settings = id => id == "LifecyclePlugin" ? new Dictionary<string, string> { ["Start"] = start.Value! } : null,
            InitializationTimeout = TimeSpan.FromSeconds(30),
            UnloadCollectionAttempts = 3,
        });
        PluginCatalog catalog = host.Discover(plugins.Root);
        LoadedPlugin<ILedgerPlugin> identity = await host.LoadAsync(catalog.Find("IdentityPlugin")!);
        return (host, identity, catalog.Find("LifecyclePlugin")!, journal);
    }

    /// <summary>Starts loading LifecyclePlugin, waits until its start hook runs, cancels, and returns what LoadAsync threw.</summary>
    private static async Task<OperationCanceledException> CancelDuringStartHook(PluginHost<ILedgerPlugin> host, PluginCatalogEntry entry, Journal journal)
    {
        using var cancel = new CancellationTokenSource();
        Task<LoadedPlugin<ILedgerPlugin>> load = host.LoadAsync(entry, cancel.Token);
        Assert.True(SpinWait.SpinUntil(() => journal.Lines.Contains("start"), Bound), "LifecyclePlugin's start hook never ran");
        cancel.Cancel();
        return await Assert.ThrowsAnyAsync<OperationCanceledException>(() => load.WaitAsync(Bound));
    }

    [Fact]
    public async Task Cancelling_LoadAsync_during_a_start_hook_that_honours_its_token_unloads_the_plugin_says_so_with_PB0315_and_the_host_goes_on()
    {
        using var plugins = new PluginFolder("IdentityPlugin", "LifecyclePlugin");
        var start = new System.Runtime.CompilerServices.StrongBox<string>("wait");
        (PluginHost<ILedgerPlugin> host, LoadedPlugin<ILedgerPlugin> identity, PluginCatalogEntry lifecycle, Journal journal) = await HostWithStartHook(plugins, start);
        await using (host)
        {
            var unloaded = new List<(string, UnloadReport)>();
            host.PluginUnloaded += (_, e) => unloaded.Add((e.PluginId, e.Unload!));
            var loadedEvents = new List<string>();
            host.PluginLoaded += (_, e) => loadedEvents.Add(e.PluginId);

            OperationCanceledException canceled = await CancelDuringStartHook(host, lifecycle, journal);

            // Which plugin and when: the PB0315 error is the cancellation's inner exception and its message.
            PluginException error = Assert.IsType<PluginException>(canceled.InnerException);
            Assert.Equal((PluginErrorCode.LoadCanceled, "LifecyclePlugin"), (error.Code, error.PluginId));
            Assert.Contains("The load was cancelled while its StartAsync hook ran; it was unloaded.", error.Message, StringComparison.Ordinal);
            Assert.Equal(error.Message, canceled.Message);
            // Rolled back: never active, unloaded and collected (the hook ended with its token), not abandoned.
            Assert.Empty(loadedEvents);
            (string id, UnloadReport report) = Assert.Single(unloaded);
            Assert.Equal("LifecyclePlugin", id);
            Assert.True(report.Collected, report.ToString());
            Assert.Empty(host.AbandonedPlugins);
            // The other plugin is untouched and the host keeps working: the same plugin loads again.
            Assert.Equal([identity], host.Plugins);
            Assert.Equal(PluginState.Active, identity.State);
            Assert.Equal("identity", identity.Invoke(p => p.Name));
            start.Value = "none";
            LoadedPlugin<ILedgerPlugin> again = await host.LoadAsync(lifecycle).WaitAsync(Bound);
            Assert.Equal(PluginState.Active, again.State);
            Assert.Equal(["IdentityPlugin", "LifecyclePlugin"], host.Plugins.Select(p => p.Id).Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task Cancelling_LoadAsync_during_a_start_hook_that_ignores_its_token_unloads_and_abandons_the_plugin_and_the_host_goes_on()
    {
        using var plugins = new PluginFolder("IdentityPlugin", "LifecyclePlugin");
        var start = new System.Runtime.CompilerServices.StrongBox<string>("block");
        (PluginHost<ILedgerPlugin> host, LoadedPlugin<ILedgerPlugin> identity, PluginCatalogEntry lifecycle, Journal journal) = await HostWithStartHook(plugins, start);
        await using (host)
        {
            var abandoned = new List<PluginEventArgs>();
            host.PluginAbandoned += (_, e) => abandoned.Add(e);
            var unloaded = new List<UnloadReport>();
            host.PluginUnloaded += (_, e) => unloaded.Add(e.Unload!);

            OperationCanceledException canceled = await CancelDuringStartHook(host, lifecycle, journal);

            PluginException error = Assert.IsType<PluginException>(canceled.InnerException);
            Assert.Equal(PluginErrorCode.LoadCanceled, error.Code);
            Assert.Contains("The load was cancelled while its StartAsync hook ran; it was unloaded.", error.Message, StringComparison.Ordinal);
            // The hook's thread still runs the plugin's code, so its context cannot be collected: abandoned, and said so.
            AbandonedPlugin listed = Assert.Single(host.AbandonedPlugins);
            Assert.Equal(("LifecyclePlugin", "StartAsync", PluginErrorCode.LoadCanceled), (listed.PluginId, listed.Hook, listed.Error.Code));
            PluginEventArgs raised = Assert.Single(abandoned);
            Assert.Equal(("LifecyclePlugin", PluginErrorCode.LoadCanceled), (raised.PluginId, raised.Error!.Code));
            UnloadReport report = Assert.Single(unloaded);
            Assert.False(report.Collected);
            Assert.Equal("abandoned: its StartAsync hook was cancelled (PB0315) and may still be running; code that runs keeps its plugin alive", report.Suspects[0]);
            // Nothing of it is registered; the other plugin is untouched; the host loads the plugin again.
            Assert.Equal([identity], host.Plugins);
            Assert.Equal("identity", identity.Invoke(p => p.Name));
            start.Value = "none";
            LoadedPlugin<ILedgerPlugin> again = await host.LoadAsync(lifecycle).WaitAsync(Bound);
            Assert.Equal(PluginState.Active, again.State);
        }
    }

    [Fact]
    public async Task Cancelling_LoadAllAsync_during_a_start_hook_that_ignores_its_token_fails_that_plugin_with_PB0315_and_abandons_it()
    {
        using var plugins = new PluginFolder("IdentityPlugin", "LifecyclePlugin");
        var journal = new Journal();
        await using var host = new PluginHost<ILedgerPlugin>(new PluginHostOptions
        {
            Services = new ServiceMap().With(journal),
            Settings = id => id == "LifecyclePlugin" ? new Dictionary<string, string> { ["Start"] = "block" } : null,
            InitializationTimeout = TimeSpan.FromSeconds(30),
            UnloadCollectionAttempts = 3,
        });
        PluginCatalog catalog = host.Discover(plugins.Root);
        using var cancel = new CancellationTokenSource();

        Task<PluginLoadResult<ILedgerPlugin>> load = host.LoadAllAsync(catalog, cancel.Token);
        Assert.True(SpinWait.SpinUntil(() => journal.Lines.Contains("start"), Bound), "LifecyclePlugin's start hook never ran");
        cancel.Cancel();
        PluginLoadResult<ILedgerPlugin> result = await load.WaitAsync(Bound);

        PluginException error = result.Failed.Single(f => f.Entry.Id == "LifecyclePlugin").Error;
        Assert.Equal(PluginErrorCode.LoadCanceled, error.Code);
        Assert.Contains("The load was cancelled while its StartAsync hook ran; it was unloaded.", error.Message, StringComparison.Ordinal);
        AbandonedPlugin listed = Assert.Single(host.AbandonedPlugins);
        Assert.Equal(("LifecyclePlugin", "StartAsync", PluginErrorCode.LoadCanceled), (listed.PluginId, listed.Hook, listed.Error.Code));
        Assert.DoesNotContain(host.Plugins, p => p.Id == "LifecyclePlugin");
    }
}
