using System.Diagnostics;

namespace Plugboard.Isolation.Tests;

/// <summary>A worker started ahead (<see cref="PluginIsolationOptions.StandbyWorker"/>) takes over after a crash, and another waits behind it.</summary>
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
