namespace Plugboard.Tests;

/// <summary>Hot reload: the new version is validated before the old one stops, calls never fail, state carries over, the old version is collected.</summary>
public sealed class ReloadTests
{
    [Fact]
    public async Task Reload_swaps_in_the_new_version_hands_over_state_and_collects_the_old_one()
    {
        using var plugins = new PluginFolder();
        plugins.Add("ReloadablePlugin");
        await using var host = new PluginHost<ILedgerPlugin>();
        var events = new List<string>();
        host.PluginReloaded += (_, e) => events.Add($"reloaded {e.PluginId} {e.PreviousVersion}->{e.Version} collected={e.Unload!.Collected}");
        LoadedPlugin<ILedgerPlugin> plugin = Assert.Single((await host.LoadAllAsync(host.Discover(plugins.Root))).Loaded);
        for (int i = 0; i < 5; i++)
        {
            plugin.Invoke(p => p.Create(1m, "call"));
        }
        Assert.Equal("v1:5", plugin.Invoke(p => p.Describe()));

        plugins.Overwrite("ReloadablePlugin", "ReloadablePluginV2");
        ReloadResult result = await plugin.ReloadAsync();

        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal(("1.0.0", "2.0.0"), (result.PreviousVersion, result.NewVersion));
        Assert.True(result.PreviousUnload!.Collected, result.PreviousUnload.ToString());
        Assert.Equal("v2:5", plugin.Invoke(p => p.Describe())); // the count survived the swap
        Assert.Equal(2, plugin.Generation);
        Assert.Equal("2.0.0", plugin.Entry.Version!.ToNormalizedString());
        Assert.Equal(["reloaded ReloadablePlugin 1.0.0->2.0.0 collected=True"], events);
    }

    [Theory]
    [InlineData("broken-build", PluginErrorCode.ConstructorThrew, "this build is broken on purpose")]
    [InlineData("truncated", PluginErrorCode.NotAManagedAssembly, "The file is not a valid .NET assembly")]
    public async Task A_failing_new_version_leaves_the_old_one_serving_and_is_reported(string kind, PluginErrorCode code, string message)
    {
        using var plugins = new PluginFolder();
        plugins.Add("ReloadablePlugin");
        await using var host = new PluginHost<ILedgerPlugin>();
        PluginEventArgs? failure = null;
        host.PluginReloadFailed += (_, e) => failure = e;
        LoadedPlugin<ILedgerPlugin> plugin = Assert.Single((await host.LoadAllAsync(host.Discover(plugins.Root))).Loaded);
        plugin.Invoke(p => p.Create(1m, "before"));

        string dll = plugins.PathOf("ReloadablePlugin", "ReloadablePlugin.dll");
        if (kind == "broken-build")
        {
            plugins.Overwrite("ReloadablePlugin", "ReloadablePluginBroken");
        }
        else
        {
            byte[] bytes = File.ReadAllBytes(dll);
            File.WriteAllBytes(dll, bytes[..(bytes.Length / 2)]);
        }
        ReloadResult result = await plugin.ReloadAsync();

        Assert.False(result.Succeeded);
        Assert.Equal(code, result.Error!.Code);
        Assert.Contains(message, result.Error.Message, StringComparison.Ordinal);
        Assert.Equal(code, failure!.Error!.Code);
        Assert.Equal("1.0.0", failure.Version);
        Assert.Equal("v1:1", plugin.Invoke(p => p.Describe())); // still the old version, state intact
        Assert.Equal(1, plugin.Generation);
    }

    [Fact]
    public async Task Calls_from_many_threads_never_fail_while_the_plugin_is_reloaded_many_times()
    {
        using var plugins = new PluginFolder();
        plugins.Add("ReloadablePlugin");
        await using var host = new PluginHost<ILedgerPlugin>();
        LoadedPlugin<ILedgerPlugin> plugin = Assert.Single((await host.LoadAllAsync(host.Discover(plugins.Root))).Loaded);
        using var stop = new CancellationTokenSource();
        long calls = 0, failures = 0;
        var seen = new System.Collections.Concurrent.ConcurrentDictionary<string, bool>();
        Thread[] callers = Enumerable.Range(0, 6).Select(_ => new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    LedgerEntry entry = plugin.Invoke(p => p.Create(1m, "load"));
                    seen.TryAdd(entry.Memo[..2], true);
                    Interlocked.Increment(ref calls);
                }
                catch (Exception)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        })).ToArray();
        foreach (Thread caller in callers)
        {
            caller.Start();
        }

        var results = new List<ReloadResult>();
        for (int i = 0; i < 30; i++)
        {
            plugins.Overwrite("ReloadablePlugin", i % 2 == 0 ? "ReloadablePluginV2" : "ReloadablePlugin");
            results.Add(await plugin.ReloadAsync());
        }
        await stop.CancelAsync();
        foreach (Thread caller in callers)
        {
            caller.Join();
        }

        Assert.All(results, r => Assert.True(r.Succeeded, r.ToString()));
        Assert.Equal(0, Interlocked.Read(ref failures));
        Assert.True(calls > 1000, $"only {calls} calls were made");
        Assert.True(seen.ContainsKey("v1") && seen.ContainsKey("v2"));
        // Every call was counted exactly once across all versions: state handed over without losing an update.
        Assert.Equal($"{(plugin.Generation % 2 == 1 ? "v1" : "v2")}:{calls}", plugin.Invoke(p => p.Describe()));
        int collected = results.Count(r => r.PreviousUnload!.Collected);
        Assert.True(collected == results.Count, $"{results.Count - collected} old versions were not collected: {string.Join("; ", results.Where(r => !r.PreviousUnload!.Collected))}");
    }

    [Fact]
    public async Task Unloading_waits_for_calls_in_flight_and_later_calls_get_a_typed_error()
    {
        using var plugins = new PluginFolder();
        plugins.Add("ReloadablePlugin");
        var host = new PluginHost<ILedgerPlugin>();
        LoadedPlugin<ILedgerPlugin> plugin = Assert.Single((await host.LoadAllAsync(host.Discover(plugins.Root))).Loaded);
        using var release = new ManualResetEventSlim();
        using var entered = new ManualResetEventSlim();
        Task<string> slowCall = Task.Run(() => plugin.Invoke(p =>
        {
            entered.Set();
            release.Wait();
            return p.Describe();
        }));
        entered.Wait();

        Task<UnloadReport> unload = plugin.UnloadAsync();
        await Task.Delay(200);
        Assert.False(unload.IsCompleted, "unload did not wait for the call in flight");
        release.Set();
        Assert.Equal("v1:0", await slowCall);
        UnloadReport report = await unload;

        Assert.True(report.Collected, report.ToString());
        PluginException error = Assert.Throws<PluginException>(() => plugin.Invoke(p => p.Describe()));
        Assert.Equal(PluginErrorCode.PluginUnloaded, error.Code);
        Assert.Contains("The plugin has been unloaded, so it cannot be called.", error.Message, StringComparison.Ordinal);
    }
}
