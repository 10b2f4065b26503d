namespace Plugboard.Tests;

/// <summary>A plugin that fails every call is faulted after the threshold; its errors are kept; a reload clears it.</summary>
public sealed class FaultTests
{
    [Fact]
    public async Task A_plugin_failing_every_call_is_faulted_with_its_errors_kept()
    {
        using var plugins = new PluginFolder("FaultyPlugin", "IdentityPlugin");
        await using var host = new PluginHost<ILedgerPlugin>(new PluginHostOptions { FaultThreshold = 5 });
        PluginEventArgs? faulted = null;
        host.PluginFaulted += (_, e) => faulted = e;
        PluginLoadResult<ILedgerPlugin> result = await host.LoadAllAsync(host.Discover(plugins.Root));
        LoadedPlugin<ILedgerPlugin> faulty = result.Loaded.Single(p => p.Id == "FaultyPlugin");

        for (int i = 1; i <= 5; i++)
        {
            InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => faulty.Invoke(p => p.Create(1m, "x")));
            Assert.Equal($"the backing service is down (call {i})", error.Message);
        }
        PluginException refused = Assert.Throws<PluginException>(() => faulty.Invoke(p => p.Describe()));

        Assert.True(faulty.IsFaulted);
        Assert.Equal(PluginErrorCode.PluginFaulted, refused.Code);
        Assert.Contains("The plugin failed 5 calls in a row and is no longer called; the last error was: System.InvalidOperationException: the backing service is down (call 5)", refused.Message, StringComparison.Ordinal);
        Assert.Equal(5, faulty.RecentErrors.Count);
        Assert.Equal(PluginErrorCode.PluginFaulted, faulted!.Error!.Code);
        // The others keep working.
        Assert.Equal("IdentityPlugin", result.Loaded.Single(p => p.Id == "IdentityPlugin").Invoke(p => p.Create(1m, "ok")).CreatedBy);
        // A reload gives the plugin a clean slate.
        Assert.True((await faulty.ReloadAsync()).Succeeded);
        Assert.False(faulty.IsFaulted);
        Assert.Equal("faulty", faulty.Invoke(p => p.Describe()));
    }

    [Fact]
    public async Task A_success_resets_the_count_of_consecutive_failures()
    {
        using var plugins = new PluginFolder("FaultyPlugin");
        await using var host = new PluginHost<ILedgerPlugin>(new PluginHostOptions { FaultThreshold = 3 });
        LoadedPlugin<ILedgerPlugin> faulty = Assert.Single((await host.LoadAllAsync(host.Discover(plugins.Root))).Loaded);

        for (int round = 0; round < 4; round++)
        {
            Assert.ThrowsAny<InvalidOperationException>(() => faulty.Invoke(p => p.Create(1m, "x")));
            Assert.ThrowsAny<InvalidOperationException>(() => faulty.Invoke(p => p.Create(1m, "x")));
            Assert.Equal("faulty", faulty.Invoke(p => p.Describe()));
        }

        Assert.False(faulty.IsFaulted);
    }
}
