namespace Plugboard.Tests;

/// <summary>Initialize, start and stop hooks: ordered, given host services and settings, and bounded.</summary>
public sealed class LifecycleTests
{
    private static PluginHostOptions Options(Journal journal, Dictionary<string, string> settings, TimeSpan? timeout = null) => new()
    {
        Services = new ServiceMap().With(journal),
        Settings = id => id == "LifecyclePlugin" ? settings : null,
        InitializationTimeout = timeout ?? TimeSpan.FromSeconds(30),
    };

    [Fact]
    public async Task Hooks_run_in_order_with_settings_and_host_services()
    {
        using var plugins = new PluginFolder("LifecyclePlugin");
        var journal = new Journal();
        await using var host = new PluginHost<ILedgerPlugin>(Options(journal, new() { ["Greeting"] = "hej" }));

        PluginLoadResult<ILedgerPlugin> result = await host.LoadAllAsync(host.Discover(plugins.Root));
        Assert.Single(result.Instances).Apply(new Ledger());
        UnloadReport report = await result.Loaded[0].UnloadAsync();

        Assert.Equal(["init LifecyclePlugin greeting=hej", "start", "apply", "stop"], journal.Lines);
        Assert.True(report.Collected, report.ToString());
        Assert.Empty(report.StopErrors);
    }

    [Fact]
    public async Task An_initialize_hook_that_throws_fails_the_plugin_with_its_message()
    {
        using var plugins = new PluginFolder("LifecyclePlugin", "IdentityPlugin");
        await using var host = new PluginHost<ILedgerPlugin>(Options(new Journal(), new() { ["Init"] = "throw" }));

        PluginLoadResult<ILedgerPlugin> result = await host.LoadAllAsync(host.Discover(plugins.Root));

        PluginFailure failure = Assert.Single(result.Failed);
        Assert.Equal(PluginErrorCode.InitializationFailed, failure.Error.Code);
        Assert.Contains("Its InitializeAsync hook threw InvalidOperationException: cannot reach the license server", failure.Error.Message, StringComparison.Ordinal);
        Assert.Equal("IdentityPlugin", Assert.Single(result.Loaded).Id);
    }

    [Theory]
    [InlineData("hang")]
    [InlineData("block")]
    public async Task An_initialize_hook_that_never_returns_times_out_and_the_host_goes_on(string mode)
    {
        using var plugins = new PluginFolder("LifecyclePlugin", "IdentityPlugin");
        await using var host = new PluginHost<ILedgerPlugin>(Options(new Journal(), new() { ["Init"] = mode }, TimeSpan.FromMilliseconds(300)));

        PluginLoadResult<ILedgerPlugin> result = await host.LoadAllAsync(host.Discover(plugins.Root));

        PluginFailure failure = Assert.Single(result.Failed);
        Assert.Equal(PluginErrorCode.InitializationTimedOut, failure.Error.Code);
        Assert.Contains("Its InitializeAsync hook did not finish within 0.3 s", failure.Error.Message, StringComparison.Ordinal);
        Assert.Equal("IdentityPlugin", Assert.Single(result.Loaded).Id);
    }

    [Fact]
    public async Task A_stop_hook_that_throws_is_reported_and_the_plugin_still_unloads()
    {
        using var plugins = new PluginFolder("LifecyclePlugin");
        await using var host = new PluginHost<ILedgerPlugin>(Options(new Journal(), new() { ["Stop"] = "throw" }));
        PluginLoadResult<ILedgerPlugin> result = await host.LoadAllAsync(host.Discover(plugins.Root));

        UnloadReport report = await result.Loaded[0].UnloadAsync();

        PluginException error = Assert.Single(report.StopErrors);
        Assert.Equal(PluginErrorCode.StopFailed, error.Code);
        Assert.Contains("Its StopAsync hook threw InvalidOperationException: flush failed", error.Message, StringComparison.Ordinal);
        Assert.True(report.Collected, report.ToString());
    }
}
