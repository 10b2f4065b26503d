namespace Plugboard.Tests;

/// <summary>A plugin that leaks is reported as not collected, with the cause Plugboard can see.</summary>
[Collection(GlobalMeasurement.Name)]
public sealed class LeakTests
{
    [Fact]
    public async Task A_leaking_plugin_is_reported_not_collected_naming_its_static_handler_and_thread()
    {
        using var plugins = new PluginFolder("LeakyPlugin");
        var host = new PluginHost<ILedgerPlugin>(new PluginHostOptions { UnloadCollectionAttempts = 4 });
        PluginLoadResult<ILedgerPlugin> result = await host.LoadAllAsync(host.Discover(plugins.Root));
        Assert.True(HostEvents.Raise("tick") >= 1);

        UnloadReport report = await result.Loaded[0].UnloadAsync();

        Assert.False(report.Collected);
        Assert.Contains(report.Suspects, s => s.StartsWith("static event TestApi.HostEvents.Tick still holds the plugin's handler LeakyPlugin.Leaky.OnTick", StringComparison.Ordinal));
        Assert.Contains(report.Suspects, s => s.Contains("thread(s) started while the plugin was loaded are still running", StringComparison.Ordinal)
            && s.Contains("'leaky-plugin-th'", StringComparison.Ordinal)); // Linux keeps 15 characters of a thread's name
        Assert.Contains("NOT collected after 4 GC(s)", report.ToString(), StringComparison.Ordinal);
        Assert.Empty(host.Plugins);
    }

    [Fact]
    public void A_thread_is_new_by_its_start_time_so_ids_that_wrapped_around_and_the_load_s_own_tick_are_not_lost()
    {
        // pid_max is 32768 by default: on a busy machine the next thread after id 32767 can be 300. Flake-check run 7
        // of 10 on main lost the plugin's thread this way when "new" meant "a higher id". Start times do not wrap; a
        // thread of the load's own tick counts as new (a tick is 10 ms: the plugin's thread may have started in it).
        const long LoadTick = 1_000;
        (int, long)[] threads = [(32_700, 900), (300, 1_005), (32_701, 999), (32_766, LoadTick), (32_767, 1_001)];

        int[] started = [.. Plugboard.Lifetime.LeakSuspects.StartedSince(LoadTick, threads)];

        Assert.Equal([300, 32_766, 32_767], started);
    }

    [Fact]
    public void The_start_clock_reads_the_start_tick_of_a_thread_started_now_as_the_current_tick_or_later()
    {
        long before = Plugboard.Lifetime.ThreadStartClock.Now() ?? throw new InvalidOperationException("no thread start clock on this system");
        using var started = new ManualResetEventSlim();
        using var finish = new ManualResetEventSlim();
        int id = 0;
        var thread = new Thread(() => { id = LinuxThreadId(); started.Set(); finish.Wait(TimeSpan.FromSeconds(30)); }) { Name = "start-clock-probe" };
        thread.Start();
        Assert.True(started.Wait(TimeSpan.FromSeconds(30)));

        (string Name, long StartTick)? seen = Plugboard.Lifetime.ThreadStartClock.Of(id);
        finish.Set();
        thread.Join();

        Assert.NotNull(seen);
        Assert.Equal("start-clock-pro", seen.Value.Name); // Linux keeps 15 characters of a thread's name
        Assert.InRange(seen.Value.StartTick, before, Plugboard.Lifetime.ThreadStartClock.Now()!.Value);
    }

    [System.Runtime.InteropServices.DllImport("libc.so.6")]
    private static extern int gettid();

    private static int LinuxThreadId() => gettid();
}
