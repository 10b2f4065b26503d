using Microsoft.Extensions.Logging;

namespace Plugboard.Isolation.Tests;

/// <summary>An out-of-process plugin is called like any other: host data in and out, its exceptions as text, its settings and log.</summary>
public sealed class CallTests
{
    [Fact]
    public async Task A_plugin_out_of_process_takes_and_returns_host_data_and_its_exceptions_come_back_with_type_message_and_stack()
    {
        await using var host = new IsolatedHost(["CrashingPlugin"], ["SteadyPlugin"]);
        await host.LoadAsync();
        LoadedPlugin<IProbe> isolated = host["CrashingPlugin"];
        LoadedPlugin<IProbe> inProcess = host["SteadyPlugin"];

        Assert.Equal(PluginIsolation.OutOfProcess, isolated.Isolation);
        Assert.Equal(PluginIsolation.InProcess, inProcess.Isolation);
        int worker = isolated.Invoke(p => p.ProcessId());
        Assert.NotEqual(Environment.ProcessId, worker);
        Assert.Equal(Environment.ProcessId, inProcess.Invoke(p => p.ProcessId()));
        Assert.Equal(isolated.WorkerProcessId, worker);

        var order = new Order("Ada", [new OrderLine("tea", 3, 2.5m), new OrderLine("cake", 1, 4.25m)]);
        Assert.Equal(new Receipt("Ada", 11.75m, 4, worker), isolated.Invoke(p => p.Tally(order)));
        Assert.Equal(new Receipt("Ada", 11.75m, 4, worker), await isolated.InvokeAsync(p => p.TallyAsync(order)));
        Assert.Equal("echo: naïve \"quotes\" {braces}", isolated.Invoke(p => p.Echo("naïve \"quotes\" {braces}")));

        PluginCodeException thrown = Assert.Throws<PluginCodeException>(() => isolated.Invoke(p => p.Throw("the ledger is closed")));
        Assert.Equal("System.InvalidOperationException", thrown.OriginalType);
        Assert.Equal("the ledger is closed", thrown.Message);
        Assert.Contains("CrashingPlugin.CrashingProbe.Throw", thrown.StackTrace, StringComparison.Ordinal);
        Assert.Equal(worker, isolated.Invoke(p => p.ProcessId())); // a plugin exception is not a crash
        Assert.Single(isolated.RecentErrors);

        // The plugin's hooks ran in its worker with the host's settings, and its log reached the host's logger under its id.
        Assert.Equal("blue for CrashingPlugin; initialized in CrashingPlugin", isolated.Invoke(p => p.Setting("colour")));
        Assert.Contains(host.Log.Entries, e => e.Category == "Plugboard.Plugin.CrashingPlugin" && e.Level == LogLevel.Information
            && e.Message == $"initialized in process {worker}");

        UnloadReport report = await isolated.UnloadAsync();
        Assert.True(report.Collected);
        Assert.True(ProcessEnded(worker), $"worker {worker} still runs after unload");
    }

    private sealed class WordList : IWordSink
    {
        public List<string> Words { get; } = [];

        public void Add(string word) => Words.Add(word);

        public int Count => Words.Count;

        public Task<string> DescribeAsync() => Task.FromResult("ok");
    }

    [Fact]
    public async Task A_host_object_passed_as_an_interface_is_called_back_in_the_host_during_the_call_and_refused_after()
    {
        await using var host = new IsolatedHost(["CrashingPlugin"], []);
        await host.LoadAsync();
        LoadedPlugin<IProbe> plugin = host["CrashingPlugin"];
        var words = new WordList();

        Assert.Equal(3, plugin.Invoke(p => p.CollectWords("one two three", words)));

        // The plugin changed the host's own object, from its worker: each Add ran here, in the host.
        Assert.Equal(["one", "two", "three"], words.Words);

        // Lent for that call only: kept by the plugin and used later, the host refuses it.
        PluginCodeException refused = Assert.Throws<PluginCodeException>(() => plugin.Invoke(p => p.AddLater("four")));
        Assert.Equal("System.InvalidOperationException", refused.OriginalType);
        Assert.Equal("The host object the plugin called Add on was lent for a call that has returned; it can be used only during that call.", refused.Message);
        Assert.Equal(3, words.Count);
    }

    [Fact]
    public async Task Out_of_process_for_all_with_named_exceptions_in_process()
    {
        await using var host = new IsolatedHost([], ["CrashingPlugin", "SteadyPlugin"], options =>
        {
            options.Isolation.Default = PluginIsolation.OutOfProcess;
            options.Isolation.InProcessPlugins.Add("steadyplugin"); // ids compare without case, as everywhere
        });
        await host.LoadAsync();

        Assert.Equal(PluginIsolation.OutOfProcess, host["CrashingPlugin"].Isolation);
        Assert.NotEqual(Environment.ProcessId, host["CrashingPlugin"].Invoke(p => p.ProcessId()));
        Assert.Equal(PluginIsolation.InProcess, host["SteadyPlugin"].Isolation);
        Assert.Equal(Environment.ProcessId, host["SteadyPlugin"].Invoke(p => p.ProcessId()));
    }

    [Fact]
    public async Task Cancelling_the_callers_token_cancels_the_token_the_plugin_got_in_its_worker()
    {
        await using var host = new IsolatedHost(["CrashingPlugin"], []);
        await host.LoadAsync();
        LoadedPlugin<IProbe> plugin = host["CrashingPlugin"];
        int worker = plugin.Invoke(p => p.ProcessId());
        using var cancellation = new CancellationTokenSource();

        Task<string> waiting = plugin.InvokeAsync(p => p.WaitForCancelAsync(cancellation.Token));
        await Task.Delay(200);
        Assert.False(waiting.IsCompleted);
        await cancellation.CancelAsync();

        OperationCanceledException cancelled = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(cancellation.Token, cancelled.CancellationToken);
        Assert.Equal("System.Threading.Tasks.TaskCanceledException", Assert.IsType<PluginCodeException>(cancelled.InnerException).OriginalType);
        Assert.Equal(worker, plugin.Invoke(p => p.ProcessId())); // a cancelled call is no crash
    }

    internal static bool ProcessEnded(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z'); // a zombie has ended; only its parent's wait is missing
        }
        catch (IOException)
        {
            return true;
        }
    }
}
