using System.Diagnostics;

namespace Plugboard.Isolation.Tests;

/// <summary>The out-of-process neighbour every crash test calls while another plugin's worker dies: one worker for the whole class.</summary>
public sealed class SteadyNeighbour : IAsyncLifetime
{
    internal IsolatedHost Host { get; } = new(["SteadyPlugin"], []);

    public LoadedPlugin<IProbe> Plugin => Host["SteadyPlugin"];

    public async Task InitializeAsync() => await Host.LoadAsync();

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>
/// Each way a plugin ends its process, out of process: the host survives, the call in flight fails at once with a
/// typed error saying how the worker ended, the end is logged once with the worker's last standard-error lines, the
/// next call goes to a restarted worker, and another plugin's worker keeps serving throughout.
/// </summary>
public sealed class CrashTests(SteadyNeighbour neighbour) : IClassFixture<SteadyNeighbour>
{
    [Theory]
    [InlineData(CrashKind.ThreadException, "ended with signal 6 (SIGABRT)", "Unhandled exception. System.InvalidOperationException: thrown on a plugin thread")]
    [InlineData(CrashKind.FailFast, "ended with signal 6 (SIGABRT)", "Process terminated. the plugin gave up")]
    [InlineData(CrashKind.Exit42, "exited with code 42", null)]
    [InlineData(CrashKind.StackOverflow, "ended with signal 6 (SIGABRT)", "Stack overflow")]
    [InlineData(CrashKind.WaitForKill, "ended with signal 9 (SIGKILL)", null)]
    public async Task A_crashing_plugin_fails_only_its_call_in_flight_and_is_restarted(CrashKind kind, string how, string? lastWords)
    {
        int steadyWorker = neighbour.Plugin.Invoke(p => p.ProcessId());
        await using var host = new IsolatedHost(["CrashingPlugin"], []);
        await host.LoadAsync();
        LoadedPlugin<IProbe> plugin = host["CrashingPlugin"];
        int worker = plugin.Invoke(p => p.ProcessId());

        Task<string> inFlight = Task.Run(() => plugin.Invoke(p => p.Crash(kind)));
        if (kind == CrashKind.WaitForKill)
        {
            // Killed from outside while the call runs in the plugin (its log line says it does).
            Assert.True(await SupervisionTests.Until(() => host.Log.Entries.Any(e => e.Message == "waiting to be killed"), seconds: 60), "the call never reached the plugin");
            Process.GetProcessById(worker).Kill();
        }
        PluginException error = await Assert.ThrowsAsync<PluginException>(() => inFlight.WaitAsync(TimeSpan.FromSeconds(60)));

        Assert.Equal(PluginErrorCode.WorkerCrashed, error.Code);
        Assert.StartsWith($"PB0705 plugin 'CrashingPlugin'", error.Message, StringComparison.Ordinal);
        Assert.Contains($"The process of plugin 'CrashingPlugin' (pid {worker}) {how} while Crash was running.", error.Message, StringComparison.Ordinal);
        CapturingLog.Written ended = Assert.Single(host.Logged(7001));
        Assert.Contains(how, ended.Message, StringComparison.Ordinal);
        if (lastWords is not null)
        {
            Assert.True(ended.Message.Contains(lastWords.Split(". ", 2)[^1], StringComparison.Ordinal), ended.Message);
            Assert.Contains($"Its last words on standard error: \"{lastWords}", error.Message, StringComparison.Ordinal);
            Assert.NotEmpty(host.Logged(7005)); // each line of it was logged as it came, at debug level
        }

        // The neighbour never noticed; the next call reaches a new worker (it waits for the restart).
        Assert.Equal("steady: still here", neighbour.Plugin.Invoke(p => p.Echo("still here")));
        Assert.Equal(steadyWorker, neighbour.Plugin.Invoke(p => p.ProcessId()));
        int restarted = plugin.Invoke(p => p.ProcessId());
        Assert.NotEqual(worker, restarted);
        Assert.Equal("echo: again", plugin.Invoke(p => p.Echo("again")));
        Assert.Single(host.Logged(7002)); // restarted once
        Assert.Equal(PluginState.Active, plugin.State);
    }
}
