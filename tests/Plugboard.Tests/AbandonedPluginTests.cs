namespace Plugboard.Tests;

/// <summary>A plugin whose initialize or stop hook never returns is abandoned, and the host says so: event, list, report.</summary>
// Its blocked hooks time out after 0.3 s or 2 s of wall-clock time: a global measurement (tests/README.md), so it runs alone.
[Collection(GlobalMeasurement.Name)]
public sealed class AbandonedPluginTests
{
    private static readonly TimeSpan ShortDeadline = TimeSpan.FromMilliseconds(300);

    // InitializeAsync and StartAsync share InitializationTimeout: a test that blocks StartAsync (or a reload's new
    // version) needs it long enough for the quick hooks before it on a loaded machine.
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(2);

    // Only the hook a test blocks gets a short deadline; every other hook keeps the default, so a loaded machine (the
    // plugin's code is compiled as its hooks first run) cannot time out a hook that is meant to finish.
    private static PluginHostOptions Options(Dictionary<string, string> settings, WarningLog? log = null, TimeSpan? initDeadline = null) => new()
    {
        LoggerFactory = log,
        Services = new ServiceMap().With(new Journal()),
        Settings = id => id == "LifecyclePlugin" ? settings : null,
        InitializationTimeout = initDeadline ?? (settings.ContainsKey("Init") ? ShortDeadline : new PluginHostOptions().InitializationTimeout),
        StopTimeout = settings.ContainsKey("Stop") ? ShortDeadline : new PluginHostOptions().StopTimeout,
        UnloadCollectionAttempts = 3,
    };

    [Fact]
    public async Task An_initialize_hook_that_blocks_leaves_an_abandoned_plugin_the_host_reports()
    {
        using var plugins = new PluginFolder("LifecyclePlugin");
        await using var host = new PluginHost<ILedgerPlugin>(Options(new() { ["Init"] = "block" }));
        var abandoned = new List<PluginEventArgs>();
        host.PluginAbandoned += (_, e) => abandoned.Add(e);

        PluginLoadResult<ILedgerPlugin> result = await host.LoadAllAsync(host.Discover(plugins.Root));

        Assert.Equal(PluginErrorCode.InitializationTimedOut, Assert.Single(result.Failed).Error.Code);
        PluginEventArgs raised = Assert.Single(abandoned);
        Assert.Equal("LifecyclePlugin", raised.PluginId);
        Assert.Equal(PluginErrorCode.InitializationTimedOut, raised.Error!.Code);
        AbandonedPlugin listed = Assert.Single(host.AbandonedPlugins);
        Assert.Equal(("LifecyclePlugin", "InitializeAsync"), (listed.PluginId, listed.Hook));
        Assert.Contains("the plugin is abandoned and its thread may still be running", listed.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stop_hook_that_blocks_is_named_in_the_unload_report_and_listed_as_abandoned()
    {
        using var plugins = new PluginFolder("LifecyclePlugin");
        var log = new WarningLog();
        await using var host = new PluginHost<ILedgerPlugin>(Options(new() { ["Stop"] = "block" }, log));
        PluginLoadResult<ILedgerPlugin> result = await host.LoadAllAsync(host.Discover(plugins.Root));
        var abandoned = new List<PluginEventArgs>();
        host.PluginAbandoned += (_, e) => abandoned.Add(e);

        UnloadReport report = await result.Loaded[0].UnloadAsync();

        Assert.False(report.Collected);
        PluginException stop = Assert.Single(report.StopErrors);
        Assert.Equal(PluginErrorCode.StopTimedOut, stop.Code);
        Assert.StartsWith("PB0320", stop.Message, StringComparison.Ordinal);
        Assert.Contains("Its StopAsync hook did not finish within 0.3 s; the plugin is abandoned and its thread may still be running.", stop.Message, StringComparison.Ordinal);
        Assert.Equal("abandoned: its StopAsync hook timed out (PB0320) and may still be running; code that runs keeps its plugin alive", report.Suspects[0]);
        Assert.Equal(("LifecyclePlugin", "StopAsync"), (Assert.Single(host.AbandonedPlugins).PluginId, host.AbandonedPlugins[0].Hook));
        Assert.Equal(PluginErrorCode.StopTimedOut, Assert.Single(abandoned).Error!.Code);
        Assert.Contains("Plugin LifecyclePlugin is abandoned: its StopAsync hook timed out and may still be running; its context stays in memory until it ends (1 abandoned plugin context(s))", log.Warnings);
    }

    [Fact]
    public async Task A_start_hook_that_blocks_leaves_an_abandoned_plugin_the_host_reports()
    {
        using var plugins = new PluginFolder("LifecyclePlugin");
        var log = new WarningLog();
        await using var host = new PluginHost<ILedgerPlugin>(Options(new() { ["Start"] = "block" }, log, StartDeadline));
        var abandoned = new List<PluginEventArgs>();
        host.PluginAbandoned += (_, e) => abandoned.Add(e);

        PluginLoadResult<ILedgerPlugin> result = await host.LoadAllAsync(host.Discover(plugins.Root));

        PluginException error = Assert.Single(result.Failed).Error;
        Assert.Equal(PluginErrorCode.InitializationTimedOut, error.Code);
        Assert.Contains("Its StartAsync hook did not finish within 2 s; the plugin is abandoned and its thread may still be running.", error.Message, StringComparison.Ordinal);
        Assert.Empty(host.Plugins);
        PluginEventArgs raised = Assert.Single(abandoned);
        Assert.Equal("LifecyclePlugin", raised.PluginId);
        Assert.Equal(PluginErrorCode.InitializationTimedOut, raised.Error!.Code);
        AbandonedPlugin listed = Assert.Single(host.AbandonedPlugins);
        Assert.Equal(("LifecyclePlugin", "StartAsync"), (listed.PluginId, listed.Hook));
        Assert.Same(error, listed.Error);
        Assert.Contains("Plugin LifecyclePlugin is abandoned: its StartAsync hook timed out and may still be running; its context stays in memory until it ends (1 abandoned plugin context(s))", log.Warnings);
    }

    [Fact]
    public async Task A_start_hook_that_blocks_in_LoadAsync_throws_the_timeout_and_is_listed_as_abandoned()
    {
        using var plugins = new PluginFolder("LifecyclePlugin");
        await using var host = new PluginHost<ILedgerPlugin>(Options(new() { ["Start"] = "block" }, initDeadline: StartDeadline));
        PluginCatalogEntry entry = Assert.Single(host.Discover(plugins.Root).Entries);

        PluginException error = await Assert.ThrowsAsync<PluginException>(() => host.LoadAsync(entry));

        Assert.Equal(PluginErrorCode.InitializationTimedOut, error.Code);
        Assert.Equal(("LifecyclePlugin", "StartAsync"), (Assert.Single(host.AbandonedPlugins).PluginId, host.AbandonedPlugins[0].Hook));
    }

    [Fact]
    public async Task A_stop_hook_that_blocks_during_a_reload_is_named_in_the_result_and_listed_as_abandoned()
    {
        using var plugins = new PluginFolder("LifecyclePlugin");
        var log = new WarningLog();
        int contexts = 0;
        // Only the first version's stop hook blocks: the reload retires it, the new version stops promptly.
        PluginHostOptions options = Options(new(), log);
        options.Settings = id => id == "LifecyclePlugin" && Interlocked.Increment(ref contexts) == 1 ? new Dictionary<string, string> { ["Stop"] = "block" } : null;
        options.StopTimeout = ShortDeadline; // only the first version's stop hook blocks; the other hooks keep the default
        await using var host = new PluginHost<ILedgerPlugin>(options);
        LoadedPlugin<ILedgerPlugin> plugin = Assert.Single((await host.LoadAllAsync(host.Discover(plugins.Root))).Loaded);
        var abandoned = new List<PluginEventArgs>();
        var reloaded = new List<PluginEventArgs>();
        host.PluginAbandoned += (_, e) => abandoned.Add(e);
        host.PluginReloaded += (_, e) => reloaded.Add(e);

        ReloadResult result = await plugin.ReloadAsync();

        Assert.True(result.Succeeded, result.ToString());
        UnloadReport old = result.PreviousUnload!;
        Assert.False(old.Collected);
        Assert.Equal(PluginErrorCode.StopTimedOut, Assert.Single(old.StopErrors).Code);
        Assert.Equal("abandoned: its StopAsync hook timed out (PB0320) and may still be running; code that runs keeps its plugin alive", old.Suspects[0]);
        Assert.Contains("old version NOT collected: abandoned: its StopAsync hook timed out (PB0320)", result.ToString(), StringComparison.Ordinal);
        Assert.Same(old, Assert.Single(reloaded).Unload);
        Assert.Equal(PluginErrorCode.StopTimedOut, Assert.Single(abandoned).Error!.Code);
        Assert.Equal(("LifecyclePlugin", "StopAsync"), (Assert.Single(host.AbandonedPlugins).PluginId, host.AbandonedPlugins[0].Hook));
        Assert.Contains("Plugin LifecyclePlugin is abandoned: its StopAsync hook timed out and may still be running; its context stays in memory until it ends (1 abandoned plugin context(s))", log.Warnings);
        Assert.Equal(PluginState.Active, plugin.State);
    }

    [Theory]
    [InlineData("Init", "InitializeAsync")]
    [InlineData("Start", "StartAsync")]
    public async Task A_new_version_whose_hook_blocks_fails_the_reload_and_is_listed_as_abandoned(string setting, string hook)
    {
        using var plugins = new PluginFolder("LifecyclePlugin");
        int contexts = 0;
        // The first version starts; the reload's new version blocks in the hook.
        PluginHostOptions options = Options(new(), initDeadline: StartDeadline);
        options.Settings = id => id == "LifecyclePlugin" && Interlocked.Increment(ref contexts) == 2 ? new Dictionary<string, string> { [setting] = "block" } : null;
        await using var host = new PluginHost<ILedgerPlugin>(options);
        LoadedPlugin<ILedgerPlugin> plugin = Assert.Single((await host.LoadAllAsync(host.Discover(plugins.Root))).Loaded);
        var abandoned = new List<PluginEventArgs>();
        host.PluginAbandoned += (_, e) => abandoned.Add(e);

        ReloadResult result = await plugin.ReloadAsync();

        Assert.False(result.Succeeded);
        Assert.Equal(PluginErrorCode.InitializationTimedOut, result.Error!.Code);
        Assert.Contains($"Its {hook} hook did not finish", result.Error.Message, StringComparison.Ordinal);
        Assert.Equal(PluginErrorCode.InitializationTimedOut, Assert.Single(abandoned).Error!.Code);
        Assert.Equal(("LifecyclePlugin", hook), (Assert.Single(host.AbandonedPlugins).PluginId, host.AbandonedPlugins[0].Hook));
        Assert.Equal(PluginState.Active, plugin.State); // the old version keeps serving
    }

    /// <summary>Keeps the warnings Plugboard logs, formatted.</summary>
    private sealed class WarningLog : Microsoft.Extensions.Logging.ILoggerFactory, Microsoft.Extensions.Logging.ILogger
    {
        private readonly List<string> _warnings = [];

        public IReadOnlyList<string> Warnings
        {
            get
            {
                lock (_warnings)
                {
                    return [.. _warnings];
                }
            }
        }

        public void AddProvider(Microsoft.Extensions.Logging.ILoggerProvider provider) { }

        public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == Microsoft.Extensions.Logging.LogLevel.Warning)
            {
                lock (_warnings)
                {
                    _warnings.Add(formatter(state, exception));
                }
            }
        }

        public void Dispose() { }
    }
}
