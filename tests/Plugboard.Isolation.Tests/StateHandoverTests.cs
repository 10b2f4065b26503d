using Microsoft.Extensions.Logging;

namespace Plugboard.Isolation.Tests;

/// <summary>
/// A worker restarted after its predecessor crashed, hung past its deadline or was killed gets the plugin's last
/// state (<see cref="IPluginStateTransfer"/>), taken by the worker while no call ran, before its first call; a state
/// that cannot be taken or handed over is a typed warning (PB0712) and the plugin serves on. A reload hands the state
/// from the old worker to the new one (or across the boundary, when the reload moves the plugin in or out of process)
/// before the new version's first call; a handover that fails fails the reload (PB0309) and the old version serves on.
/// </summary>
public sealed class StateHandoverTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    [Theory]
    [InlineData("crash")]
    [InlineData("deadline")]
    [InlineData("kill")]
    public async Task A_worker_restarted_after_its_predecessor_ended_gets_the_plugins_last_state_before_its_first_call(string end)
    {
        await using var host = new IsolatedHost(["CrashingPlugin"], [], options =>
        {
            options.Isolation.StateCheckpointInterval = Interval;
            options.Isolation.CallTimeout = TimeSpan.FromSeconds(3);
        });
        await host.LoadAsync();
        LoadedPlugin<IProbe> plugin = host["CrashingPlugin"];
        int worker = plugin.Invoke(p => p.ProcessId());
        plugin.Invoke(p => p.Remember("first"));
        Assert.Equal(["first", "second"], plugin.Invoke(p => p.Remember("second")));
        await StateTakenAsync(host, "first", "second");

        PluginException error = end switch
        {
            "crash" => await Assert.ThrowsAsync<PluginException>(() => Task.Run(() => plugin.Invoke(p => p.Crash(CrashKind.Exit42))).WaitAsync(TimeSpan.FromSeconds(60))),
            "deadline" => await Assert.ThrowsAsync<PluginException>(() => Task.Run(() => plugin.Invoke(p => p.Hang())).WaitAsync(TimeSpan.FromSeconds(60))),
            _ => await KillFromOutsideAsync(host, plugin, worker),
        };

        Assert.Equal(end == "deadline" ? PluginErrorCode.WorkerCallTimedOut : PluginErrorCode.WorkerCrashed, error.Code);
        // The restarted worker's first call already sees what the plugin remembered in the worker that ended.
        Assert.Equal(["first", "second", "third"], plugin.Invoke(p => p.Remember("third")));
        Assert.NotEqual(worker, plugin.Invoke(p => p.ProcessId()));
        Assert.Matches(@"^Handed the state of plugin CrashingPlugin, taken \d+ ms before the restart, to the restarted worker \(pid \d+\)$", Assert.Single(host.Logged(7009)).Message);
        Assert.Empty(host.Logged(7008));
    }

    [Fact]
    public async Task Without_a_checkpoint_interval_a_restarted_worker_starts_with_the_state_the_plugin_loads_with()
    {
        await using var host = new IsolatedHost(["CrashingPlugin"], [], options => options.Isolation.StateCheckpointInterval = null);
        await host.LoadAsync();
        LoadedPlugin<IProbe> plugin = host["CrashingPlugin"];
        plugin.Invoke(p => p.Remember("first"));
        await Task.Delay(TimeSpan.FromMilliseconds(500)); // ten times the interval the other tests take a state within

        await Assert.ThrowsAsync<PluginException>(() => Task.Run(() => plugin.Invoke(p => p.Crash(CrashKind.Exit42))).WaitAsync(TimeSpan.FromSeconds(60)));

        Assert.Equal(["after"], plugin.Invoke(p => p.Remember("after")));
        Assert.Empty(host.Logged(7007));
        Assert.Empty(host.Logged(7009));
    }

    [Theory]
    [InlineData("#fail-export", "CrashingPlugin.CrashingProbe.ExportState threw System.InvalidOperationException: told to fail its export")]
    [InlineData("#export-own-type", "CrashingPlugin.CrashingProbe.ExportState returned a CrashingPlugin.CrashingProbe+OwnMemory, and CrashingPlugin.CrashingProbe+OwnMemory belongs to the plugin")]
    public async Task A_state_the_worker_cannot_take_is_a_typed_warning_and_a_restart_hands_over_the_last_good_one(string item, string problem)
    {
        await using var host = new IsolatedHost(["CrashingPlugin"], [], options => options.Isolation.StateCheckpointInterval = Interval);
        await host.LoadAsync();
        LoadedPlugin<IProbe> plugin = host["CrashingPlugin"];
        int worker = plugin.Invoke(p => p.ProcessId());
        plugin.Invoke(p => p.Remember("good"));
        await StateTakenAsync(host, "good");

        plugin.Invoke(p => p.Remember(item));
        Assert.True(await SupervisionTests.Until(() => host.Logged(7008).Count > 0), "the worker never said it could not take the state");
        plugin.Invoke(p => p.Remember("still failing")); // a problem that persists is logged once
        await Task.Delay(TimeSpan.FromMilliseconds(300));

        CapturingLog.Written warning = Assert.Single(host.Logged(7008));
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.StartsWith($"PB0712 plugin 'CrashingPlugin' ", warning.Message, StringComparison.Ordinal);
        Assert.Contains($"The worker of plugin 'CrashingPlugin' (pid {worker}) could not take the plugin's state: {problem}", warning.Message, StringComparison.Ordinal);
        Assert.Matches(@"Until it can, a restart hands over the last state taken, \d+ ms ago\.", warning.Message);
        Assert.Contains("Make ExportState return host API types, framework types or bytes", warning.Message, StringComparison.Ordinal);

        await Assert.ThrowsAsync<PluginException>(() => Task.Run(() => plugin.Invoke(p => p.Crash(CrashKind.Exit42))).WaitAsync(TimeSpan.FromSeconds(60)));

        Assert.Equal(["good", "after"], plugin.Invoke(p => p.Remember("after")));
        Assert.Single(host.Logged(7009));
    }

    [Fact]
    public async Task A_state_the_restarted_worker_cannot_import_is_a_typed_warning_and_the_plugin_serves_without_it()
    {
        await using var host = new IsolatedHost(["CrashingPlugin"], [], options => options.Isolation.StateCheckpointInterval = Interval);
        await host.LoadAsync();
        LoadedPlugin<IProbe> plugin = host["CrashingPlugin"];
        plugin.Invoke(p => p.Remember("#fail-import"));
        await StateTakenAsync(host, "#fail-import");

        await Assert.ThrowsAsync<PluginException>(() => Task.Run(() => plugin.Invoke(p => p.Crash(CrashKind.Exit42))).WaitAsync(TimeSpan.FromSeconds(60)));

        Assert.Equal(["after"], plugin.Invoke(p => p.Remember("after")));
        Assert.Equal(PluginState.Active, plugin.State);
        int restarted = plugin.Invoke(p => p.ProcessId());
        string warning = Assert.Single(host.Logged(7008)).Message;
        Assert.Matches($@"^PB0712 plugin 'CrashingPlugin' \(.+\): The state of plugin 'CrashingPlugin' taken \d+ ms before the restart was not handed to its restarted worker \(pid {restarted}\): "
            + @"CrashingPlugin\.CrashingProbe\.ImportState threw System\.InvalidOperationException: told to fail its import\. The plugin serves without it\.", warning);
        Assert.Contains("Make ImportState accept what ExportState returns", warning, StringComparison.Ordinal);
        Assert.Empty(host.Logged(7009));
    }

    [Fact]
    public async Task A_reload_hands_the_old_workers_state_to_the_new_worker_before_its_first_call()
    {
        // No checkpoints: the state the new worker gets is taken at the reload, after the last call.
        await using var host = new IsolatedHost(["CrashingPlugin"], [], options => options.Isolation.StateCheckpointInterval = null);
        await host.LoadAsync();
        LoadedPlugin<IProbe> plugin = host["CrashingPlugin"];
        int old = plugin.Invoke(p => p.ProcessId());
        plugin.Invoke(p => p.Remember("first"));
        plugin.Invoke(p => p.Remember("second"));

        ReloadResult reload = await plugin.ReloadAsync();

        Assert.True(reload.Succeeded, reload.Error?.Message);
        Assert.Equal(PluginIsolation.OutOfProcess, plugin.Isolation);
        Assert.NotEqual(old, plugin.WorkerProcessId);
        Assert.Equal(["first", "second", "third"], plugin.Invoke(p => p.Remember("third")));
        Assert.NotEqual(old, plugin.Invoke(p => p.ProcessId()));
    }

    [Fact]
    public async Task A_worker_that_crashes_right_after_a_reload_hands_its_successor_the_state_the_reload_gave_it()
    {
        await using var host = new IsolatedHost(["CrashingPlugin"], [], options => options.Isolation.StateCheckpointInterval = Interval);
        await host.LoadAsync();
        LoadedPlugin<IProbe> plugin = host["CrashingPlugin"];
        plugin.Invoke(p => p.Remember("before the reload"));
        Assert.True((await plugin.ReloadAsync()).Succeeded);

        // The crash is the new worker's first call: it had no time to take a state of its own.
        await Assert.ThrowsAsync<PluginException>(() => Task.Run(() => plugin.Invoke(p => p.Crash(CrashKind.Exit42))).WaitAsync(TimeSpan.FromSeconds(60)));

        Assert.Equal(["before the reload", "after the crash"], plugin.Invoke(p => p.Remember("after the crash")));
    }

    [Theory]
    [InlineData(PluginIsolation.InProcess, PluginIsolation.OutOfProcess)]
    [InlineData(PluginIsolation.OutOfProcess, PluginIsolation.InProcess)]
    public async Task A_reload_that_moves_a_plugin_across_the_process_boundary_hands_its_state_over(PluginIsolation from, PluginIsolation to)
    {
        await using var host = new IsolatedHost(from == PluginIsolation.OutOfProcess ? ["CrashingPlugin"] : [], from == PluginIsolation.InProcess ? ["CrashingPlugin"] : []);
        await host.LoadAsync();
        LoadedPlugin<IProbe> plugin = host["CrashingPlugin"];
        Assert.Equal(from, plugin.Isolation);
        plugin.Invoke(p => p.Remember("first"));
        if (to == PluginIsolation.OutOfProcess)
        {
            host.Options.Isolation.OutOfProcessPlugins.Add("CrashingPlugin");
        }
        else
        {
            host.Options.Isolation.OutOfProcessPlugins.Clear();
        }

        ReloadResult reload = await plugin.ReloadAsync();

        Assert.True(reload.Succeeded, reload.Error?.Message);
        Assert.Equal(to, plugin.Isolation);
        Assert.Equal(["first", "second"], plugin.Invoke(p => p.Remember("second")));
    }

    [Theory]
    [InlineData("#fail-export", "Handing state from version 0.1.0 to 0.1.0 failed: CrashingPlugin.CrashingProbe.ExportState threw System.InvalidOperationException: told to fail its export")]
    [InlineData("#fail-import", "Handing state from version 0.1.0 to 0.1.0 failed: CrashingPlugin.CrashingProbe.ImportState threw System.InvalidOperationException: told to fail its import")]
    public async Task A_state_that_cannot_be_handed_over_at_a_reload_fails_it_and_the_old_worker_serves_on_with_its_state(string item, string cause)
    {
        await using var host = new IsolatedHost(["CrashingPlugin"], [], options => options.Isolation.StateCheckpointInterval = null);
        await host.LoadAsync();
        LoadedPlugin<IProbe> plugin = host["CrashingPlugin"];
        int old = plugin.Invoke(p => p.ProcessId());
        plugin.Invoke(p => p.Remember(item));

        ReloadResult reload = await plugin.ReloadAsync();

        Assert.False(reload.Succeeded);
        Assert.Equal(PluginErrorCode.StateTransferFailed, reload.Error!.Code);
        Assert.Contains(cause, reload.Error.Message, StringComparison.Ordinal);
        Assert.Equal(PluginState.Active, plugin.State);
        Assert.Equal(old, plugin.Invoke(p => p.ProcessId()));
        Assert.Equal([item, "still here"], plugin.Invoke(p => p.Remember("still here")));
    }

    [Fact]
    public async Task An_export_that_does_not_return_at_a_reload_fails_it_at_the_call_deadline_and_its_worker_is_restarted()
    {
        await using var host = new IsolatedHost(["CrashingPlugin"], [], options =>
        {
            options.Isolation.StateCheckpointInterval = null;
            options.Isolation.CallTimeout = TimeSpan.FromSeconds(2);
        });
        await host.LoadAsync();
        LoadedPlugin<IProbe> plugin = host["CrashingPlugin"];
        int old = plugin.Invoke(p => p.ProcessId());
        plugin.Invoke(p => p.Remember("#hang-export"));

        ReloadResult reload = await plugin.ReloadAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(PluginErrorCode.StateTransferFailed, reload.Error?.Code);
        Assert.Contains($"ExportState of plugin 'CrashingPlugin' did not return within 2 s; its worker process ({old}) was killed and is restarted.", reload.Error!.Message, StringComparison.Ordinal);
        Assert.Equal(PluginState.Active, plugin.State);
        Assert.NotEqual(old, plugin.Invoke(p => p.ProcessId()));
        Assert.Equal(["after"], plugin.Invoke(p => p.Remember("after"))); // no checkpoints: the hung worker's state is lost with it
    }

    [Fact]
    public async Task A_reload_after_the_crash_limit_hands_over_the_last_state_a_worker_took()
    {
        await using var host = new IsolatedHost(["CrashingPlugin"], [], options =>
        {
            options.Isolation.StateCheckpointInterval = Interval;
            options.Isolation.CrashLimit = 2;
        });
        await host.LoadAsync();
        LoadedPlugin<IProbe> plugin = host["CrashingPlugin"];
        plugin.Invoke(p => p.Remember("kept"));
        await StateTakenAsync(host, "kept");
        Assert.Throws<PluginException>(() => plugin.Invoke(p => p.Crash(CrashKind.Exit42)));
        Assert.Equal(PluginErrorCode.WorkerCrashLimitReached, Assert.Throws<PluginException>(() => plugin.Invoke(p => p.Crash(CrashKind.Exit42))).Code);
        Assert.Equal(PluginState.Faulted, plugin.State);

        ReloadResult reload = await plugin.ReloadAsync();

        Assert.True(reload.Succeeded, reload.Error?.Message);
        Assert.Equal(["kept", "after"], plugin.Invoke(p => p.Remember("after")));
    }

    /// <summary>
    /// Waits until the host has the state that remembers <paramref name="items"/>, known by its size: a checkpoint the
    /// worker took before the last call may still be on its way.
    /// </summary>
    internal static async Task StateTakenAsync(IsolatedHost host, params string[] items)
    {
        string bytes = $": {System.Text.Json.JsonSerializer.Serialize(new ProbeMemory(items), WorkerProtocol.Json).Length} bytes of JSON";
        Assert.True(await SupervisionTests.Until(() => host.Logged(7007).Any(e => e.Message.EndsWith(bytes, StringComparison.Ordinal))),
            $"the worker never sent the state of [{string.Join(", ", items)}] ({bytes}); it sent: {string.Join("; ", host.Logged(7007).Select(e => e.Message))}");
    }

    private static async Task<PluginException> KillFromOutsideAsync(IsolatedHost host, LoadedPlugin<IProbe> plugin, int worker)
    {
        Task<string> waiting = Task.Run(() => plugin.Invoke(p => p.Crash(CrashKind.WaitForKill)));
        Assert.True(await SupervisionTests.Until(() => host.Log.Entries.Any(e => e.Message == "waiting to be killed")), "the call never reached the plugin");
        System.Diagnostics.Process.GetProcessById(worker).Kill();
        return await Assert.ThrowsAsync<PluginException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(60)));
    }
}
