using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Plugboard.Native.Tests;

/// <summary>
/// Native code that never returns: init and shutdown are bounded, an invoke past its deadline faults the plugin, and
/// Dispose reports a call that never came back. The stuck threads are abandoned (they end on their own here).
/// Runs alone: these tests leave threads running for a few seconds.
/// </summary>
[Collection(GlobalMeasurement.Name)]
public sealed class TimeoutTests
{
    [Fact]
    public async Task An_init_that_hangs_is_PB0413_and_other_loads_do_not_wait_for_it()
    {
        NativePluginLoaderOptions options = TestLoaders.Options();
        options.InitTimeout = TimeSpan.FromSeconds(2); // the plugin's init takes 3 s
        Task<PluginException> hung = Task.Run(() => Assert.Throws<PluginException>(() => new NativePluginLoader(options).Load(TestPaths.TestPlugin("init-hangs"))));

        using (NativePlugin echo = TestLoaders.Create().Load(TestPaths.TestPlugin("echo")))
        {
            Assert.Equal("meanwhile", echo.Invoke("echo", "meanwhile"));
            Assert.False(hung.IsCompleted, "the other load waited for the hung init");
        }

        PluginException e = await hung;
        Assert.Equal(PluginErrorCode.NativeInitTimedOut, e.Code);
        Assert.Contains("plugboard_entry_v1 or init did not return within 2 s", e.Message, StringComparison.Ordinal);
        Assert.Contains("cannot be stopped in-process", e.Message, StringComparison.Ordinal);
        Assert.Contains("InitTimeout", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadAll_waits_one_init_timeout_for_plugins_whose_init_hangs_not_one_each()
    {
        string root = TestPaths.PluginsFolder("hung-inits", ("init-hangs", "init-hangs"), ("init-hangs-too", "init-hangs-too"), ("echo", "echo"), ("echo-threadsafe", "echo-threadsafe"));
        NativePluginLoaderOptions options = TestLoaders.Options();
        options.InitTimeout = TimeSpan.FromSeconds(1); // both hung plugins' init takes 3 s

        var clock = Stopwatch.StartNew();
        IReadOnlyList<NativePlugin> loaded = new NativePluginLoader(options).LoadAll(root, out IReadOnlyList<PluginException> failures);
        TimeSpan elapsed = clock.Elapsed;

        try
        {
            Assert.Equal(["echo", "echo-threadsafe"], loaded.Select(p => p.Id));
            Assert.All(loaded, p => Assert.Equal("loaded", p.Invoke("echo", "loaded")));
            Assert.Equal(["init-hangs", "init-hangs-too"], failures.Select(f => f.PluginId));
            Assert.All(failures, f => Assert.Equal(PluginErrorCode.NativeInitTimedOut, f.Code));
            Assert.All(failures, f => Assert.Contains("did not return within 1 s", f.Message, StringComparison.Ordinal));
            // Waited for one after the other, the two hung inits would cost two timeouts (2 s) before LoadAll returns.
            Assert.True(elapsed < TimeSpan.FromSeconds(2), $"LoadAll took {elapsed.TotalMilliseconds:0} ms: the hung inits were waited for one by one");
        }
        finally
        {
            foreach (NativePlugin plugin in loaded)
            {
                plugin.Dispose();
            }
        }
    }

    [Fact]
    public async Task PluginHost_waits_one_init_timeout_for_native_plugins_whose_init_hangs_and_loads_dependents_after_their_dependencies()
    {
        string root = TestPaths.PluginsFolder("hosted-hung-inits", ("echo", "echo"), ("echo-threadsafe", "echo-threadsafe"),
            ("echo-unloadable", "echo-unloadable"), ("init-hangs", "init-hangs"), ("init-hangs-too", "init-hangs-too"));
        DependOn(Path.Combine(root, "echo-threadsafe"), "echo");
        DependOn(Path.Combine(root, "echo-unloadable"), "init-hangs");
        var adapted = new List<string>();
        var options = new PluginHostOptions();
        options.NativePlugins.InitTimeout = TimeSpan.FromSeconds(1); // both hung plugins' init takes 3 s
        options.AddNativeAdapter<ITextPlugin>(plugin =>
        {
            lock (adapted)
            {
                adapted.Add(plugin.Id); // after the plugin's init returned
            }
            return new TextAdapter(plugin);
        });
        await using var host = new PluginHost<ITextPlugin>(options);
        PluginCatalog catalog = host.Discover(root);

        var clock = Stopwatch.StartNew();
        PluginLoadResult<ITextPlugin> result = await host.LoadAllAsync(catalog);
        TimeSpan elapsed = clock.Elapsed;

        Assert.Equal(["echo", "echo-threadsafe"], result.Loaded.Select(p => p.Id));
        Assert.All(result.Loaded, p => Assert.Equal("loaded", p.Invoke(t => t.Run("echo", "loaded"))));
        Assert.Equal(["echo", "echo-threadsafe"], adapted); // the dependent after the plugin it depends on
        Assert.Equal(["echo-unloadable", "init-hangs", "init-hangs-too"], result.Failed.Select(f => f.Entry.Id).Order());
        PluginFailure[] hung = [.. result.Failed.Where(f => f.Entry.Id.StartsWith("init-hangs", StringComparison.Ordinal))];
        Assert.All(hung, f => Assert.Equal(PluginErrorCode.NativeInitTimedOut, f.Error.Code));
        Assert.All(hung, f => Assert.Contains("plugboard_entry_v1 or init did not return within 1 s", f.Error.Message, StringComparison.Ordinal));
        PluginException dependent = Assert.Single(result.Failed, f => f.Entry.Id == "echo-unloadable").Error;
        Assert.Equal(PluginErrorCode.DependencyFailed, dependent.Code);
        Assert.Contains("It depends on 'init-hangs', which failed to load", dependent.Message, StringComparison.Ordinal);
        // Waited for one after the other, the two hung inits would cost two timeouts (2 s) before LoadAllAsync returns.
        Assert.True(elapsed < TimeSpan.FromSeconds(2), $"LoadAllAsync took {elapsed.TotalMilliseconds:0} ms: the hung inits were waited for one by one");
    }

    /// <summary>Adds a dependency on <paramref name="id"/> (any version) to the plugin.json in <paramref name="folder"/>.</summary>
    private static void DependOn(string folder, string id)
    {
        string manifest = Path.Combine(folder, "plugin.json");
        JsonObject json = JsonNode.Parse(File.ReadAllText(manifest))!.AsObject();
        json["dependencies"] = new JsonObject { [id] = "[1.0,)" };
        File.WriteAllText(manifest, json.ToJsonString());
    }

    [Fact]
    public void Calls_with_a_deadline_that_return_in_time_reuse_one_call_thread()
    {
        var log = new CallThreadsLog();
        NativePluginLoaderOptions options = TestLoaders.Options(log);
        options.InvokeTimeout = TimeSpan.FromSeconds(30);
        using NativePlugin plugin = new NativePluginLoader(options).Load(TestPaths.TestPlugin("echo"));

        for (int i = 0; i < 20; i++)
        {
            Assert.Equal(string.Empty, plugin.Invoke("log", "call " + i));
        }

        // Each call ran on a host call thread (never the caller's), and the one that finished took the next call.
        Assert.Equal(20, log.Lines);
        Thread thread = Assert.Single(log.Threads);
        Assert.NotSame(Thread.CurrentThread, thread);
        Assert.Equal("plugboard invoke echo", thread.Name);
        Assert.Null(plugin.Fault);
    }

    [Fact]
    public void An_invoke_past_its_deadline_is_PB0414_faults_the_plugin_and_Dispose_stays_bounded()
    {
        NativePluginLoaderOptions options = TestLoaders.Options();
        options.InvokeTimeout = TimeSpan.FromMilliseconds(300);
        options.ShutdownTimeout = TimeSpan.FromMilliseconds(300);
        NativePlugin plugin = new NativePluginLoader(options).Load(TestPaths.TestPlugin("echo"));
        using NativePlugin other = TestLoaders.Create().Load(TestPaths.TestPlugin("echo"));
        Assert.Equal("quick", plugin.Invoke("echo", "quick"));

        var e = Assert.Throws<PluginException>(() => plugin.Invoke("sleep", "3000"));
        Assert.Equal(PluginErrorCode.NativeInvokeTimedOut, e.Code);
        Assert.Contains("invoke('sleep') of plugin 'echo' did not return within 300 ms. The plugin is faulted", e.Message, StringComparison.Ordinal);
        Assert.Same(e, plugin.Fault);

        var faulted = Assert.Throws<PluginException>(() => plugin.Invoke("echo", "again"));
        Assert.Equal(PluginErrorCode.NativePluginFaulted, faulted.Code);
        Assert.Equal("alive", other.Invoke("echo", "alive"));

        plugin.Dispose();
        PluginException? shutdown = plugin.ShutdownError;
        Assert.NotNull(shutdown);
        Assert.Equal(PluginErrorCode.NativeShutdownTimedOut, shutdown.Code);
        Assert.Contains("A call into the plugin did not return within 300 ms, so shutdown was not called", shutdown.Message, StringComparison.Ordinal);
        Assert.Equal("alive", other.Invoke("echo", "alive"));
    }

    [Fact]
    public void A_call_with_a_deadline_that_returns_in_time_gives_its_output_to_every_overload()
    {
        NativePluginLoaderOptions options = TestLoaders.Options();
        options.InvokeTimeout = TimeSpan.FromSeconds(30);
        using NativePlugin plugin = new NativePluginLoader(options).Load(TestPaths.TestPlugin("echo"));
        Assert.Equal("grüße", plugin.Invoke("echo", "grüße"));
        byte[] span = new byte[16];
        Assert.Equal(3, plugin.Invoke("echo"u8, "abc"u8, span, 0));
        var tooSmall = Assert.Throws<PluginException>(() => plugin.Invoke("echo"u8, "too long"u8, new byte[4], 0));
        Assert.Contains("needs 8 bytes", tooSmall.Message, StringComparison.Ordinal);
        var failed = Assert.Throws<PluginException>(() => plugin.Invoke("fail", "x"));
        Assert.Contains("input must not be empty", failed.Message, StringComparison.Ordinal);
        Assert.Null(plugin.Fault);
    }

    [Fact]
    public void A_shutdown_that_hangs_leaves_Dispose_bounded_with_PB0416()
    {
        NativePluginLoaderOptions options = TestLoaders.Options();
        options.ShutdownTimeout = TimeSpan.FromMilliseconds(300); // the plugin's shutdown takes 3 s
        NativePlugin plugin = new NativePluginLoader(options).Load(TestPaths.TestPlugin("shutdown-hangs"));

        plugin.Dispose();

        Assert.True(plugin.IsDisposed);
        PluginException? e = plugin.ShutdownError;
        Assert.NotNull(e);
        Assert.Equal(PluginErrorCode.NativeShutdownTimedOut, e.Code);
        Assert.Contains("plugin 'shutdown-hangs'", e.Message, StringComparison.Ordinal);
        Assert.Contains("shutdown did not return within 300 ms", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Timeouts_must_be_positive_or_infinite()
    {
        var options = new NativePluginLoaderOptions { InvokeTimeout = TimeSpan.FromSeconds(1), InitTimeout = Timeout.InfiniteTimeSpan };
        Assert.Equal(TimeSpan.FromSeconds(1), options.InvokeTimeout);
        Assert.Throws<ArgumentOutOfRangeException>(() => options.InitTimeout = TimeSpan.Zero);
        Assert.Throws<ArgumentOutOfRangeException>(() => options.ShutdownTimeout = TimeSpan.FromSeconds(-5));
    }

    /// <summary>Records the threads the plugin's log lines arrive on (the threads that ran its calls).</summary>
    private sealed class CallThreadsLog : IPluginLog
    {
        private readonly Lock _gate = new();
        private readonly HashSet<Thread> _threads = new(ReferenceEqualityComparer.Instance);

        public int Lines { get; private set; }

        public IReadOnlyCollection<Thread> Threads
        {
            get
            {
                lock (_gate)
                {
                    return [.. _threads];
                }
            }
        }

        public void Write(PluginLogLevel level, string message, Exception? exception = null)
        {
            lock (_gate)
            {
                Lines++;
                _threads.Add(Thread.CurrentThread);
            }
        }
    }
}
