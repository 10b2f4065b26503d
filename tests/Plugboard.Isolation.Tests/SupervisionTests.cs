namespace Plugboard.Isolation.Tests;

/// <summary>Deadlines, the crash limit, and calls in flight together.</summary>
public sealed class SupervisionTests
{
    [Fact]
    public async Task A_call_past_its_deadline_kills_the_hung_worker_and_fails_with_a_timeout_then_the_next_call_succeeds()
    {
        await using var host = new IsolatedHost(["CrashingPlugin"], [], options => options.Isolation.CallTimeout = TimeSpan.FromSeconds(2));
        await host.LoadAsync();
        LoadedPlugin<IProbe> plugin = host["CrashingPlugin"];
        int worker = plugin.Invoke(p => p.ProcessId());

        PluginException error = await Assert.ThrowsAsync<PluginException>(() => Task.Run(() => plugin.Invoke(p => p.Hang())).WaitAsync(TimeSpan.FromSeconds(60)));

        Assert.Equal(PluginErrorCode.WorkerCallTimedOut, error.Code);
        Assert.Contains($"The call to Hang of plugin 'CrashingPlugin' did not return within 2 s; its worker process ({worker}) was killed and is restarted.", error.Message, StringComparison.Ordinal);
        Assert.True(await Until(() => CallTests.ProcessEnded(worker)), $"the hung worker {worker} was not killed");
        Assert.NotEqual(worker, plugin.Invoke(p => p.ProcessId()));
        Assert.Contains("did not return within its deadline of 2 s", Assert.Single(host.Logged(7001)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_plugin_allocating_without_bound_hits_its_workers_memory_limit_and_the_worker_is_restarted()
    {
        await using var host = new IsolatedHost(["CrashingPlugin"], [], options => options.Isolation.MemoryLimit = 128L * 1024 * 1024);
        await host.LoadAsync();
        LoadedPlugin<IProbe> plugin = host["CrashingPlugin"];
        int worker = plugin.Invoke(p => p.ProcessId());

        PluginException error = await Assert.ThrowsAsync<PluginException>(() => Task.Run(() => plugin.Invoke(p => p.Hog())).WaitAsync(TimeSpan.FromSeconds(120)));

        Assert.Equal(PluginErrorCode.WorkerMemoryLimitExceeded, error.Code);
        Assert.Contains($"The call to Hog of plugin 'CrashingPlugin' allocated past its worker's memory limit of 128 MiB (managed heap); the worker (pid {worker}) was killed and is restarted.",
            error.Message, StringComparison.Ordinal);
        Assert.Equal("System.OutOfMemoryException", Assert.IsType<PluginCodeException>(error.InnerException).OriginalType);
        Assert.True(await Until(() => CallTests.ProcessEnded(worker)), $"worker {worker} still runs");
        Assert.NotEqual(worker, plugin.Invoke(p => p.ProcessId()));
    }

    [Theory]
    [InlineData("HogNative")]
    [InlineData("Hog")]
    public async Task A_plugin_allocating_native_or_managed_memory_without_bound_hits_its_workers_process_memory_limit_and_its_neighbour_keeps_serving(string hog)
    {
        const long limit = 256L * 1024 * 1024;
        await using var host = new IsolatedHost(["CrashingPlugin", "SteadyPlugin"], [], options => options.Isolation.ProcessMemoryLimit = limit);
        await host.LoadAsync();
        LoadedPlugin<IProbe> plugin = host["CrashingPlugin"];
        LoadedPlugin<IProbe> neighbour = host["SteadyPlugin"];
        int worker = plugin.Invoke(p => p.ProcessId());
        int neighbourWorker = neighbour.Invoke(p => p.ProcessId());

        // Under the limit a worker serves: an idle one is far below it, and so is one that has answered calls.
        Assert.Equal("echo: under the limit", plugin.Invoke(p => p.Echo("under the limit")));
        PluginException error = await Assert.ThrowsAsync<PluginException>(() => Task.Run(() => plugin.Invoke(p => hog == "Hog" ? p.Hog() : p.HogNative())).WaitAsync(TimeSpan.FromSeconds(120)));

        Assert.Equal(PluginErrorCode.WorkerMemoryLimitExceeded, error.Code);
        Assert.Matches($@"The process of plugin 'CrashingPlugin' \(pid {worker}\) was killed by the host because its resident memory \(\d+(\.\d)? MiB\) passed its process memory limit of 256 MiB while {hog} was running\.", error.Message);
        Assert.Contains("raise PluginIsolationOptions.ProcessMemoryLimit", error.Fix, StringComparison.Ordinal);
        Assert.Contains("passed its process memory limit of 256 MiB", Assert.Single(host.Logged(7001)).Message, StringComparison.Ordinal);
        Assert.True(await Until(() => CallTests.ProcessEnded(worker)), $"worker {worker} still runs");
        Assert.Equal(neighbourWorker, neighbour.Invoke(p => p.ProcessId()));
        Assert.NotEqual(worker, plugin.Invoke(p => p.ProcessId()));
        Assert.Equal(PluginState.Active, plugin.State);
    }

    [Fact]
    public async Task Every_call_in_flight_fails_at_once_when_the_worker_dies()
    {
        await using var host = new IsolatedHost(["CrashingPlugin"], []);
        await host.LoadAsync();
        LoadedPlugin<IProbe> plugin = host["CrashingPlugin"];
        Task<string>[] hung = [.. Enumerable.Range(0, 4).Select(_ => Task.Run(() => plugin.Invoke(p => p.Hang())))];
        Assert.True(await Until(() => host.Log.Entries.Count(e => e.Message == "hanging") == 4, seconds: 60), "the calls never all reached the plugin");

        PluginException crash = await Assert.ThrowsAsync<PluginException>(() => Task.Run(() => plugin.Invoke(p => p.Crash(CrashKind.Exit42))).WaitAsync(TimeSpan.FromSeconds(60)));

        Assert.Equal(PluginErrorCode.WorkerCrashed, crash.Code);
        foreach (Task<string> call in hung)
        {
            PluginException error = await Assert.ThrowsAsync<PluginException>(() => call.WaitAsync(TimeSpan.FromSeconds(30)));
            Assert.Equal(PluginErrorCode.WorkerCrashed, error.Code);
            Assert.Contains("exited with code 42 while Hang was running", error.Message, StringComparison.Ordinal);
        }
        Assert.Single(host.Logged(7001)); // one end, logged once
    }

    [Fact]
    public async Task After_the_crash_limit_the_worker_is_not_restarted_and_the_plugin_is_faulted_until_reloaded()
    {
        var faulted = new List<PluginEventArgs>();
        await using var host = new IsolatedHost(["CrashingPlugin"], [], options => options.Isolation.CrashLimit = 2);
        host.Host.PluginFaulted += (_, e) => faulted.Add(e);
        await host.LoadAsync();
        LoadedPlugin<IProbe> plugin = host["CrashingPlugin"];

        Assert.Equal(PluginErrorCode.WorkerCrashed, Assert.Throws<PluginException>(() => plugin.Invoke(p => p.Crash(CrashKind.Exit42))).Code);
        PluginException limit = Assert.Throws<PluginException>(() => plugin.Invoke(p => p.Crash(CrashKind.Exit42)));

        Assert.Equal(PluginErrorCode.WorkerCrashLimitReached, limit.Code);
        Assert.Contains("exited with code 42 while Crash was running: crash 2 of 2 within 5 min, so it is not restarted.", limit.Message, StringComparison.Ordinal);
        Assert.Equal(PluginState.Faulted, plugin.State);
        PluginException refused = Assert.Throws<PluginException>(() => plugin.Invoke(p => p.Echo("anyone?")));
        Assert.Equal(PluginErrorCode.PluginFaulted, refused.Code);
        Assert.Contains("The plugin's worker process crashed too often and is not restarted", refused.Message, StringComparison.Ordinal);
        Assert.Equal("CrashingPlugin", Assert.Single(faulted).PluginId);
        Assert.Single(host.Logged(7003));

        ReloadResult reload = await plugin.ReloadAsync();
        Assert.True(reload.Succeeded, reload.Error?.Message);
        Assert.Equal("echo: back", plugin.Invoke(p => p.Echo("back")));
    }

    [Fact]
    public async Task A_restart_that_fails_is_reported_to_the_call_and_tried_again_by_the_next_call()
    {
        // The settings a worker is started with are read at each start: here they make the restarted one refuse.
        var settings = new Dictionary<string, string>();
        await using var host = new IsolatedHost(["CrashingPlugin"], [], options => options.Settings = _ => settings);
        await host.LoadAsync();
        LoadedPlugin<IProbe> plugin = host["CrashingPlugin"];
        settings["refuse-to-start"] = "yes";

        Assert.Equal(PluginErrorCode.WorkerCrashed, Assert.Throws<PluginException>(() => plugin.Invoke(p => p.Crash(CrashKind.Exit42))).Code);
        PluginException failed = Assert.Throws<PluginException>(() => plugin.Invoke(p => p.Echo("anyone?")));
        Assert.Equal(PluginErrorCode.InitializationFailed, failed.Code); // the worker's own loader said why, as in process
        Assert.Contains("told by its settings to refuse to start", failed.Message, StringComparison.Ordinal);
        Assert.Contains("CrashingPlugin", Assert.Single(host.Logged(7006)).Message, StringComparison.Ordinal);

        settings.Remove("refuse-to-start");
        Assert.Equal("echo: back", plugin.Invoke(p => p.Echo("back")));
    }

    internal static async Task<bool> Until(Func<bool> condition, int seconds = 10)
    {
        for (long deadline = Environment.TickCount64 + (seconds * 1000L); Environment.TickCount64 < deadline; await Task.Delay(50))
        {
            if (condition())
            {
                return true;
            }
        }
        return condition();
    }
}
