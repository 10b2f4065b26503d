using Microsoft.Extensions.Logging;

namespace Plugboard.Tests;

/// <summary>Each problem is logged exactly once, where it is decided, with its stable event id.</summary>
public sealed class LoggingTests
{
    /// <summary>Options for a host of LifecyclePlugin (its journal given) that logs into <paramref name="log"/>.</summary>
    internal static PluginHostOptions LifecycleOptions(CapturingLog log, string? init = null, TimeSpan? initializationTimeout = null) => new()
    {
        LoggerFactory = log,
        Services = new ServiceMap().With(new Journal()),
        Settings = id => id == "LifecyclePlugin" && init is not null ? new Dictionary<string, string> { ["Init"] = init } : null,
        InitializationTimeout = initializationTimeout ?? TimeSpan.FromSeconds(30),
    };

    [Fact]
    public async Task An_incompatible_plugin_is_logged_once_at_discovery_and_a_failed_load_once_at_load()
    {
        using var plugins = new PluginFolder("NoCtorPlugin", "ThrowingCtorPlugin", "IdentityPlugin");
        var log = new CapturingLog();
        await using var host = new PluginHost<ILedgerPlugin>(new PluginHostOptions { LoggerFactory = log });

        PluginLoadResult<ILedgerPlugin> result = await host.LoadAllAsync(host.Discover(plugins.Root));

        Assert.Equal(["NoCtorPlugin", "ThrowingCtorPlugin"], result.Failed.Select(f => f.Entry.Id).Order(StringComparer.Ordinal));
        CapturingLog.Written incompatible = Assert.Single(log.Problems("NoCtorPlugin"));
        Assert.Equal((LogLevel.Warning, 1001), (incompatible.Level, incompatible.EventId.Id));
        Assert.StartsWith("Plugin NoCtorPlugin cannot be loaded: PB0", incompatible.Message, StringComparison.Ordinal);
        CapturingLog.Written failed = Assert.Single(log.Problems("ThrowingCtorPlugin"));
        Assert.Equal((LogLevel.Error, 1003), (failed.Level, failed.EventId.Id));
        Assert.Contains("threw InvalidOperationException: the plugin's config file is missing", failed.Message, StringComparison.Ordinal);
        Assert.Empty(log.Problems("IdentityPlugin"));
        Assert.Single(log.Entries, e => e.EventId.Id == 1002 && e.Message.StartsWith("Loaded plugin IdentityPlugin", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_fault_is_logged_once_however_many_calls_fail_after_it()
    {
        using var plugins = new PluginFolder("FaultyPlugin");
        var log = new CapturingLog();
        await using var host = new PluginHost<ILedgerPlugin>(new PluginHostOptions { LoggerFactory = log, FaultThreshold = 3 });
        LoadedPlugin<ILedgerPlugin> faulty = Assert.Single((await host.LoadAllAsync(host.Discover(plugins.Root))).Loaded);

        for (int i = 0; i < 3; i++)
        {
            Assert.Throws<InvalidOperationException>(() => faulty.Invoke(p => p.Create(1m, "x")));
        }
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(PluginErrorCode.PluginFaulted, Assert.Throws<PluginException>(() => faulty.Invoke(p => p.Describe())).Code);
        }

        CapturingLog.Written fault = Assert.Single(log.Problems("FaultyPlugin"));
        Assert.Equal((LogLevel.Error, 4001), (fault.Level, fault.EventId.Id));
        Assert.StartsWith("Plugin FaultyPlugin is faulted: PB", fault.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_plugin_writing_braces_to_its_log_is_logged_as_written()
    {
        using var plugins = new PluginFolder("LifecyclePlugin");
        var log = new CapturingLog();
        await using var host = new PluginHost<ILedgerPlugin>(LifecycleOptions(log));
        LoadedPlugin<ILedgerPlugin> plugin = Assert.Single((await host.LoadAllAsync(host.Discover(plugins.Root))).Loaded);

        plugin.PluginContext!.Log.Write(PluginLogLevel.Warning, "value {not a placeholder} {0}");

        CapturingLog.Written written = Assert.Single(log.Entries, e => e.Category == "Plugboard.Plugin.LifecyclePlugin" && e.EventId.Id == 4002 && e.Level == LogLevel.Warning);
        Assert.Equal("value {not a placeholder} {0}", written.Message);
    }
}

/// <summary>An abandoned plugin is logged once as abandoned, and its failed load once as a failure.</summary>
// Its hooks time out after 0.3 s of wall-clock time: a global measurement (tests/README.md), so it runs alone.
[Collection(GlobalMeasurement.Name)]
public sealed class AbandonedLoggingTests
{
    [Fact]
    public async Task An_abandoned_plugin_is_logged_once_as_abandoned_and_once_as_failed()
    {
        using var plugins = new PluginFolder("LifecyclePlugin");
        var log = new CapturingLog();
        await using var host = new PluginHost<ILedgerPlugin>(LoggingTests.LifecycleOptions(log, init: "block", initializationTimeout: TimeSpan.FromMilliseconds(300)));

        PluginLoadResult<ILedgerPlugin> result = await host.LoadAllAsync(host.Discover(plugins.Root));

        Assert.Equal(PluginErrorCode.InitializationTimedOut, Assert.Single(result.Failed).Error.Code);
        IReadOnlyList<CapturingLog.Written> problems = log.Problems("LifecyclePlugin");
        Assert.Equal(2, problems.Count);
        CapturingLog.Written abandoned = Assert.Single(problems, p => p.EventId.Id == 3003);
        Assert.Equal(LogLevel.Warning, abandoned.Level);
        Assert.StartsWith("Plugin LifecyclePlugin is abandoned: its InitializeAsync hook timed out", abandoned.Message, StringComparison.Ordinal);
        CapturingLog.Written failed = Assert.Single(problems, p => p.EventId.Id == 1003);
        Assert.Contains("PB0", failed.Message, StringComparison.Ordinal);
    }
}
