using Plugboard.Native;

namespace Plugboard.Isolation.Tests;

/// <summary>The contract the C test plugins serve out of process: data only, through the host's adapter over invoke.</summary>
public interface INativeTool
{
    string Run(string operation, string input);
}

/// <summary>The host's adapter from a C test plugin to <see cref="INativeTool"/>; the worker makes it from <see cref="Create"/>.</summary>
internal sealed class NativeTool(NativePlugin plugin) : INativeTool
{
    public static INativeTool Create(NativePlugin plugin) => new NativeTool(plugin);

    public string Run(string operation, string input) => plugin.Invoke(operation, input);
}

/// <summary>
/// Native plugins out of process: a C plugin loaded in its worker by the same native loader and adapter as in process,
/// called through the same contract; a NULL dereference, an abort() or an exit(0) inside a call ends the worker, not
/// the host: the call gets the typed crash error naming the signal (or the exit code), the next call reaches a
/// restarted worker, and another native plugin's worker keeps serving.
/// </summary>
public sealed class NativeCrashTests
{
    private static string Built(string name)
    {
        string path = Path.Combine(PluginFolder.Metadata("NativeTestPluginsDirectory"), name);
        Assert.True(File.Exists(Path.Combine(path, $"lib{name}.so")), $"the C test plugin {name} was not built into {path} (is cc installed?)");
        return path;
    }

    private static (string Root, PluginHost<INativeTool> Host, CapturingLog Log) NewHost(Action<PluginHostOptions>? configure = null)
    {
        string root = Path.Combine(Path.GetTempPath(), "plugboard-tests", Guid.NewGuid().ToString("N"));
        PluginFolder.CopyDirectory(Built("crashes-on-request"), Path.Combine(root, "crashes-on-request"));
        PluginFolder.CopyDirectory(Built("echo"), Path.Combine(root, "echo"));
        var log = new CapturingLog();
        var options = new PluginHostOptions { LoggerFactory = log };
        options.Isolation.Default = PluginIsolation.OutOfProcess;
        options.AddNativeAdapter<INativeTool>(NativeTool.Create);
        configure?.Invoke(options);
        return (root, new PluginHost<INativeTool>(options), log);
    }

    /// <summary>Loads the folder's plugins and returns crashes-on-request and its neighbour echo, with their workers' pids.</summary>
    private static async Task<(LoadedPlugin<INativeTool> Plugin, LoadedPlugin<INativeTool> Neighbour, int Worker, int NeighbourWorker)> LoadCrasherBesideEchoAsync(PluginHost<INativeTool> host, string root)
    {
        PluginLoadResult<INativeTool> result = await host.LoadAllAsync(host.Discover(root));
        Assert.Empty(result.Failed.Select(f => f.Error.Message));
        LoadedPlugin<INativeTool> plugin = Assert.Single(result.Loaded, p => p.Id == "crashes-on-request");
        LoadedPlugin<INativeTool> neighbour = Assert.Single(result.Loaded, p => p.Id == "echo");
        return (plugin, neighbour, WorkerPid(plugin), neighbour.WorkerProcessId!.Value);
    }

    /// <summary>The pid of the process that answers the plugin's calls, as the plugin itself reports it.</summary>
    private static int WorkerPid(LoadedPlugin<INativeTool> plugin) =>
        int.Parse(plugin.Invoke(p => p.Run("pid", "")), System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_native_C_plugin_out_of_process_answers_calls_through_the_contract_from_its_worker()
    {
        (string root, PluginHost<INativeTool> host, CapturingLog log) = NewHost();
        await using (host)
        {
            PluginLoadResult<INativeTool> result = await host.LoadAllAsync(host.Discover(root));
            Assert.Empty(result.Failed.Select(f => f.Error.Message));
            LoadedPlugin<INativeTool> plugin = Assert.Single(result.Loaded, p => p.Id == "crashes-on-request");

            Assert.Equal(PluginKind.Native, plugin.Entry.Kind);
            Assert.Equal(PluginIsolation.OutOfProcess, plugin.Isolation);
            Assert.Equal("hello from the host", plugin.Invoke(p => p.Run("echo", "hello from the host")));
            int worker = WorkerPid(plugin);
            Assert.NotEqual(Environment.ProcessId, worker);
            Assert.Equal(worker, plugin.WorkerProcessId);

            // The plugin's error status comes back as the worker's typed error, as text.
            PluginCodeException failed = Assert.Throws<PluginCodeException>(() => plugin.Invoke(p => p.Run("fail", "")));
            Assert.Equal(typeof(PluginException).FullName, failed.OriginalType);
            Assert.Contains("PB0409", failed.Message, StringComparison.Ordinal);
            Assert.Contains("input must not be empty", failed.Message, StringComparison.Ordinal);

            // Its log reaches the host's logger under its id, as a managed plugin's does.
            plugin.Invoke(p => p.Run("log", "written in C"));
            Assert.True(await SupervisionTests.Until(() => log.Entries.Any(e => e.Category == "Plugboard.Plugin.crashes-on-request" && e.Message.Contains("written in C", StringComparison.Ordinal)), seconds: 10),
                string.Join(Environment.NewLine, log.Entries.Select(e => $"{e.Category}: {e.Message}")));

            UnloadReport report = await plugin.UnloadAsync();
            Assert.True(report.Collected, report.ToString());
        }
        Directory.Delete(root, recursive: true);
    }

    [Theory]
    [InlineData("null-deref", "ended with signal 11 (SIGSEGV)")]
    [InlineData("abort", "ended with signal 6 (SIGABRT)")]
    [InlineData("exit0", "exited with code 0")]
    public async Task A_native_crash_in_a_call_fails_that_call_with_the_typed_error_and_the_next_call_reaches_a_restarted_worker(string operation, string how)
    {
        (string root, PluginHost<INativeTool> host, CapturingLog log) = NewHost();
        await using (host)
        {
            (LoadedPlugin<INativeTool> plugin, LoadedPlugin<INativeTool> neighbour, int worker, int neighbourWorker) = await LoadCrasherBesideEchoAsync(host, root);

            PluginException error = await Assert.ThrowsAsync<PluginException>(() => Task.Run(() => plugin.Invoke(p => p.Run(operation, ""))).WaitAsync(TimeSpan.FromSeconds(60)));

            Assert.Equal(PluginErrorCode.WorkerCrashed, error.Code);
            Assert.Contains($"The process of plugin 'crashes-on-request' (pid {worker}) {how} while Run was running.", error.Message, StringComparison.Ordinal);
            Assert.Contains(how, Assert.Single(log.Entries, e => e.EventId.Id == 7001).Message, StringComparison.Ordinal);
            // The neighbour's worker never noticed: the same process answers.
            Assert.Equal("still here", neighbour.Invoke(p => p.Run("echo", "still here")));
            Assert.Equal(neighbourWorker, neighbour.WorkerProcessId);
            // The next call waits for the restart and is answered by another process.
            int restarted = WorkerPid(plugin);
            Assert.NotEqual(worker, restarted);
            Assert.Equal("again", plugin.Invoke(p => p.Run("echo", "again")));
            Assert.Equal(PluginState.Active, plugin.State);
        }
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public async Task A_native_plugin_allocating_without_bound_is_killed_at_its_workers_process_memory_limit_and_the_next_call_reaches_a_restarted_worker()
    {
        (string root, PluginHost<INativeTool> host, CapturingLog log) = NewHost(options => options.Isolation.ProcessMemoryLimit = 256L * 1024 * 1024);
        await using (host)
        {
            (LoadedPlugin<INativeTool> plugin, LoadedPlugin<INativeTool> neighbour, int worker, int neighbourWorker) = await LoadCrasherBesideEchoAsync(host, root);

            // malloc'd memory: no managed heap limit sees it, the process limit does.
            PluginException error = await Assert.ThrowsAsync<PluginException>(() => Task.Run(() => plugin.Invoke(p => p.Run("hog", ""))).WaitAsync(TimeSpan.FromSeconds(60)));

            Assert.Equal(PluginErrorCode.WorkerMemoryLimitExceeded, error.Code);
            Assert.Matches($@"The process of plugin 'crashes-on-request' \(pid {worker}\) was killed by the host because its resident memory \(\d+(\.\d)? MiB\) passed its process memory limit of 256 MiB while Run was running\.", error.Message);
            Assert.Contains("passed its process memory limit", Assert.Single(log.Entries, e => e.EventId.Id == 7001).Message, StringComparison.Ordinal);
            Assert.Equal("still here", neighbour.Invoke(p => p.Run("echo", "still here")));
            Assert.Equal(neighbourWorker, neighbour.WorkerProcessId);
            Assert.NotEqual(worker, WorkerPid(plugin));
        }
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public async Task A_native_plugin_past_the_crash_limit_is_faulted_until_reloaded_and_a_hung_native_call_is_killed_at_its_deadline()
    {
        (string root, PluginHost<INativeTool> host, _) = NewHost(o =>
        {
            o.Isolation.CrashLimit = 2;
            o.Isolation.CallTimeout = TimeSpan.FromSeconds(2);
        });
        await using (host)
        {
            PluginLoadResult<INativeTool> result = await host.LoadAllAsync(host.Discover(root));
            LoadedPlugin<INativeTool> plugin = Assert.Single(result.Loaded, p => p.Id == "crashes-on-request");
            LoadedPlugin<INativeTool> neighbour = Assert.Single(result.Loaded, p => p.Id == "echo");

            // A native call that never returns in time: its worker is killed at the deadline (the first crash).
            PluginException hung = Assert.Throws<PluginException>(() => neighbour.Invoke(p => p.Run("sleep", "600000")));
            Assert.Equal(PluginErrorCode.WorkerCallTimedOut, hung.Code);
            Assert.Contains("The call to Run of plugin 'echo' did not return within 2 s", hung.Message, StringComparison.Ordinal);
            Assert.Equal("awake", neighbour.Invoke(p => p.Run("echo", "awake")));

            Assert.Equal(PluginErrorCode.WorkerCrashed, Assert.Throws<PluginException>(() => plugin.Invoke(p => p.Run("null-deref", ""))).Code);
            PluginException limit = Assert.Throws<PluginException>(() => plugin.Invoke(p => p.Run("null-deref", "")));
            Assert.Equal(PluginErrorCode.WorkerCrashLimitReached, limit.Code);
            Assert.Contains("ended with signal 11 (SIGSEGV) while Run was running: crash 2 of 2 within 5 min, so it is not restarted.", limit.Message, StringComparison.Ordinal);
            Assert.Equal(PluginState.Faulted, plugin.State);
            Assert.Equal(PluginErrorCode.PluginFaulted, Assert.Throws<PluginException>(() => plugin.Invoke(p => p.Run("echo", "anyone?"))).Code);

            ReloadResult reload = await plugin.ReloadAsync();
            Assert.True(reload.Succeeded, reload.Error?.Message);
            Assert.Equal("back", plugin.Invoke(p => p.Run("echo", "back")));
        }
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public async Task An_adapter_that_captures_host_state_cannot_be_made_in_a_worker_and_the_native_plugin_is_refused_with_PB0708()
    {
        string prefix = "from the host: ";
        (string root, PluginHost<INativeTool> host, _) = NewHost(o => o.AddNativeAdapter<INativeTool>(plugin => new PrefixedTool(prefix, plugin)));
        await using (host)
        {
            PluginLoadResult<INativeTool> result = await host.LoadAllAsync(host.Discover(root));
            Assert.Empty(result.Loaded);
            PluginFailure refused = Assert.Single(result.Failed, f => f.Entry.Id == "echo");
            Assert.Equal(PluginErrorCode.NativeOutOfProcessNotSupported, refused.Error.Code);
            Assert.Contains("cannot be made in a worker process: it is a lambda that captures prefix", refused.Error.Cause, StringComparison.Ordinal);
            Assert.Contains("Register a static method as the adapter", refused.Error.Fix, StringComparison.Ordinal);
        }
        Directory.Delete(root, recursive: true);
    }

    [Theory]
    [InlineData(PluginIsolation.InProcess)]
    [InlineData(PluginIsolation.OutOfProcess)]
    public async Task A_native_plugin_recording_another_layout_of_an_interface_the_host_expects_is_refused_in_and_out_of_process(PluginIsolation isolation)
    {
        (string root, PluginHost<INativeTool> host, _) = NewHost(o =>
        {
            o.Isolation.Default = isolation;
            o.NativePlugins.Interfaces.Expect(new NativeInterfaceLayout("test.tool/1", ["Run(string, string)", "Name { get; }"], [0x1111UL, 0x2222UL]));
        });
        // echo records the host's layout; crashes-on-request was built against another one (its second member differs).
        Record(Path.Combine(root, "echo"), "0x0000000000001111", "0x0000000000002222");
        Record(Path.Combine(root, "crashes-on-request"), "0x0000000000001111", "0x0000000000003333");
        await using (host)
        {
            PluginLoadResult<INativeTool> result = await host.LoadAllAsync(host.Discover(root));

            PluginFailure refused = Assert.Single(result.Failed);
            Assert.Equal("crashes-on-request", refused.Entry.Id);
            Assert.Equal(PluginErrorCode.NativeInterfaceLayoutMismatch, refused.Error.Code);
            Assert.Contains("The plugin was built against another layout of 'test.tool/1' than this host's: member #2, Name { get; } (hash 0x0000000000002222), differs from the plugin's build (hash 0x0000000000003333). The library was not opened.",
                refused.Error.Message, StringComparison.Ordinal);
            LoadedPlugin<INativeTool> echo = Assert.Single(result.Loaded);
            Assert.Equal(isolation, echo.Isolation);
            Assert.Equal("same layout", echo.Invoke(p => p.Run("echo", "same layout")));
        }
        Directory.Delete(root, recursive: true);

        static void Record(string folder, params string[] hashes)
        {
            string manifest = Path.Combine(folder, "plugin.json");
            var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(manifest))!;
            json["native"]!["interfaces"] = new System.Text.Json.Nodes.JsonObject { ["test.tool/1"] = new System.Text.Json.Nodes.JsonArray([.. hashes.Select(h => (System.Text.Json.Nodes.JsonNode)h)]) };
            File.WriteAllText(manifest, json.ToJsonString());
        }
    }

    private sealed class PrefixedTool(string prefix, NativePlugin plugin) : INativeTool
    {
        public string Run(string operation, string input) => prefix + plugin.Invoke(operation, input);
    }
}
