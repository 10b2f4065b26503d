namespace Plugboard.Tests;

/// <summary>A plugin whose initialize or stop hook never returns is abandoned, and the host says so: event, list, report.</summary>
// Its hooks time out after 0.3 s of wall-clock time: a global measurement (tests/README.md), so it runs alone.
[Collection(GlobalMeasurement.Name)]
public sealed class AbandonedPluginTests
{
    private static PluginHostOptions Options(Dictionary<string, string> settings, WarningLog? log = null) => new()
    {
        LoggerFactory = log,
        Services = new ServiceMap().With(new Journal()),
        Settings = id => id == "LifecyclePlugin" ? settings : null,
        InitializationTimeout = TimeSpan.FromMilliseconds(300),
        StopTimeout = TimeSpan.FromMilliseconds(300),
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
