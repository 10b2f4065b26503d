using System.Diagnostics;

namespace Plugboard.Isolation.Tests;

/// <summary>
/// A worker started ahead (<see cref="PluginIsolationOptions.StandbyWorker"/>) takes over after a crash, and another
/// waits behind it. It waits armed: it has the hello and the plugin's files and has inspected the plugin, but runs none
/// of the plugin's code until the restart tells it to go, with the state of the worker that ended.
/// </summary>
public sealed class StandbyWorkerTests
{
    [Fact]
    public async Task A_killed_worker_is_replaced_by_the_one_waiting_and_a_new_one_waits_behind_it()
    {
        await using var host = new IsolatedHost(["CrashingPlugin"], [], options => options.Isolation.StandbyWorker = true);
        (LoadedPlugin<IProbe> plugin, int worker, int standby) = await LoadWithWaitingWorker(host);
        Assert.NotEqual(worker, standby);
        Assert.False(CallTests.ProcessEnded(standby));

        Process.GetProcessById(worker).Kill();
        int next = await AnsweredByAnotherWorker(plugin, worker);

        // The call is answered by the worker that waited (started before the kill), not by a process started for it.
        Assert.Equal(standby, next);
        Assert.True(await SupervisionTests.Until(() => plugin.StandbyWorkerProcessId is int again && again != standby, seconds: 60), "no new worker waits behind the one that took over");
        Assert.False(CallTests.ProcessEnded(plugin.StandbyWorkerProcessId!.Value));
        Assert.Equal("echo: ok", plugin.Invoke(p => p.Echo("ok")));
    }

    [Fact]
    public async Task The_waiting_worker_runs_none_of_the_plugins_code_until_it_takes_over_and_then_gets_the_state_of_the_one_that_ended()
    {
        await using var host = new IsolatedHost(["CrashingPlugin"], [], options =>
        {
            options.Isolation.StandbyWorker = true;
            options.Isolation.StateCheckpointInterval = TimeSpan.FromMilliseconds(50);
        });
        (LoadedPlugin<IProbe> plugin, int worker, int standby) = await LoadWithWaitingWorker(host);
        plugin.Invoke(p => p.Remember("first"));
        plugin.Invoke(p => p.Remember("second"));
        await StateHandoverTests.StateTakenAsync(host, "first", "second");
        // Time for the waiting worker to read the hello, the files and inspect the plugin: still, nothing of the
        // plugin ran there (its InitializeAsync logs the process it runs in).
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Contains(host.Log.Entries, e => e.Message == $"initialized in process {worker}");
        Assert.DoesNotContain(host.Log.Entries, e => e.Message == $"initialized in process {standby}");

        Process.GetProcessById(worker).Kill();
        int next = await AnsweredByAnotherWorker(plugin, worker);

        Assert.Equal(standby, next);
        Assert.Single(host.Log.Entries, e => e.Message == $"initialized in process {standby}");
        Assert.Equal(["first", "second", "third"], plugin.Invoke(p => p.Remember("third")));
        Assert.Matches($@"^Handed the state of plugin CrashingPlugin, taken \d+ ms before the restart, to the restarted worker \(pid {standby}\)$", Assert.Single(host.Logged(7009)).Message);
    }

    [Fact]
    public async Task Without_a_waiting_worker_the_restart_arms_one_during_its_delay_and_lets_it_load_the_plugin_only_once_the_delay_ended()
    {
        // No StandbyWorker: the delay holds back the plugin's code, while the worker that will run it starts and arms.
        await using var host = new IsolatedHost(["CrashingPlugin"], [], options => options.Isolation.RestartDelay = TimeSpan.FromSeconds(5));
        await host.LoadAsync();
        LoadedPlugin<IProbe> plugin = host["CrashingPlugin"];
        int worker = plugin.Invoke(p => p.ProcessId());
        Assert.Null(plugin.StandbyWorkerProcessId);
        long killed = Environment.TickCount64;

        Process.GetProcessById(worker).Kill();
        Assert.True(await SupervisionTests.Until(() => plugin.StandbyWorkerProcessId is not null), "no worker started during the restart delay");
        int armed = plugin.StandbyWorkerProcessId!.Value;
        Assert.True(Environment.TickCount64 - killed < 4_000, "the worker started only after the delay");
        Assert.DoesNotContain(host.Log.Entries, e => e.Message == $"initialized in process {armed}");

        int next = await AnsweredByAnotherWorker(plugin, worker);

        Assert.Equal(armed, next);
        Assert.True(Environment.TickCount64 - killed >= 5_000, "the plugin was loaded before the restart delay ended");
        Assert.Single(host.Log.Entries, e => e.Message == $"initialized in process {armed}");
        // Nothing waits behind it: without StandbyWorker a worker is armed only for a restart.
        Assert.Null(plugin.StandbyWorkerProcessId);
    }

    [Fact]
    public async Task A_crash_when_the_waiting_worker_is_gone_too_starts_a_new_process()
    {
        await using var host = new IsolatedHost(["CrashingPlugin"], [], options => options.Isolation.StandbyWorker = true);
        (LoadedPlugin<IProbe> plugin, int worker, int standby) = await LoadWithWaitingWorker(host);

        Process.GetProcessById(standby).Kill();
        Assert.True(await SupervisionTests.Until(() => CallTests.ProcessEnded(standby)), $"the waiting worker {standby} was not killed");
        Process.GetProcessById(worker).Kill();
        int next = await AnsweredByAnotherWorker(plugin, worker);

        Assert.NotEqual(standby, next);
        Assert.Equal("echo: ok", plugin.Invoke(p => p.Echo("ok")));
    }

    [Fact]
    public async Task Unloading_the_plugin_ends_its_waiting_worker_too()
    {
        await using var host = new IsolatedHost(["CrashingPlugin"], [], options => options.Isolation.StandbyWorker = true);
        (LoadedPlugin<IProbe> plugin, int worker, int standby) = await LoadWithWaitingWorker(host);

        await plugin.UnloadAsync();

        Assert.True(await SupervisionTests.Until(() => CallTests.ProcessEnded(worker) && CallTests.ProcessEnded(standby)),
            $"after the unload, worker {worker} ended: {CallTests.ProcessEnded(worker)}; waiting worker {standby} ended: {CallTests.ProcessEnded(standby)}");
    }

    /// <summary>Loads the plugin and waits until a worker waits behind the serving one.</summary>
    private static async Task<(LoadedPlugin<IProbe> Plugin, int Worker, int Standby)> LoadWithWaitingWorker(IsolatedHost host)
    {
        await host.LoadAsync();
        LoadedPlugin<IProbe> plugin = host["CrashingPlugin"];
        int worker = plugin.Invoke(p => p.ProcessId());
        Assert.True(await SupervisionTests.Until(() => plugin.StandbyWorkerProcessId is not null, seconds: 60), "no worker waits behind the serving one");
        return (plugin, worker, plugin.StandbyWorkerProcessId!.Value);
    }

    private static async Task<int> AnsweredByAnotherWorker(LoadedPlugin<IProbe> plugin, int dead)
    {
        for (long deadline = Environment.TickCount64 + 60_000; Environment.TickCount64 < deadline; await Task.Delay(20))
        {
            try
            {
                int pid = plugin.Invoke(p => p.ProcessId());
                if (pid != dead)
                {
                    return pid;
                }
            }
            catch (PluginException ex) when (ex.Code == PluginErrorCode.WorkerCrashed)
            {
                // the call that met the dead worker
            }
        }
        throw new TimeoutException($"no worker answered within 60 s after worker {dead} was killed");
    }
}
