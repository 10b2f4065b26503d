namespace Plugboard.Tests;

/// <summary>
/// The leak corpus: one plugin per way of outliving an unload. Each is either collected by default (the framework
/// caches Plugboard clears) or its report names the true root: its kind, which field, handle or thread, and the chain.
/// </summary>
[Collection(GlobalMeasurement.Name)]
public sealed class LeakCorpusTests
{
    [Theory]
    [InlineData("StjDefaultOptions")] // JsonSerializer.Serialize(pluginObject): JsonSerializerOptions.Default's cache
    [InlineData("StjOwnedOptions")] // the plugin's own options: System.Text.Json's shared member-accessor cache
    [InlineData("XmlSerializerUse")] // new XmlSerializer(pluginType): the runtime keys its cache by collectible context
    public async Task Framework_caches_are_handled_by_default_so_the_plugin_is_collected(string entryType)
    {
        UnloadReport report = await LeakCorpus.LoadUseAndUnloadAsync(entryType, LeakCorpus.Options(deep: false));

        Assert.True(report.Collected, report.ToString());
    }

    [Theory]
    [InlineData("HostStaticEvent", LeakRootKind.StaticField, "static field TestApi.HostEvents.Tick (TestApi)", "System.EventHandler<System.String>", "LeakCorpusPlugin.HostStaticEvent")]
    [InlineData("ProcessExitHandler", LeakRootKind.StaticField, "static field System.AppDomain.s_domain (System.Private.CoreLib)", "System.EventHandler", "LeakCorpusPlugin.ProcessExitHandler")]
    [InlineData("CancelKeyPressHandler", LeakRootKind.StaticField, "static field System.Console.s_cancelCallbacks (System.Console)", "System.ConsoleCancelEventHandler", "LeakCorpusPlugin.CancelKeyPressHandler")]
    [InlineData("AssemblyResolveHandler", LeakRootKind.StaticField, "static field System.Runtime.Loader.AssemblyLoadContext.AssemblyResolve (System.Private.CoreLib)", "System.ResolveEventHandler", "LeakCorpusPlugin.AssemblyResolveHandler")]
    [InlineData("UnhandledExceptionHandler", LeakRootKind.StaticField, "static field System.AppContext.UnhandledException (System.Private.CoreLib)", "System.UnhandledExceptionEventHandler", "LeakCorpusPlugin.UnhandledExceptionHandler")]
    [InlineData("ForeverThread", LeakRootKind.ThreadStack, "'corpus-thread'), running the plugin's code", "System.Threading.Thread.StartCallback()", "LeakCorpusPlugin.ForeverThread.Run()")]
    [InlineData("PluginTimer", LeakRootKind.Timer, "static field System.Threading.TimerQueue.<Instances>k__BackingField (System.Private.CoreLib)", "System.Threading.TimerQueueTimer", "LeakCorpusPlugin.PluginTimer")]
    [InlineData("DelayLoop", LeakRootKind.Timer, "static field System.Threading.TimerQueue.<Instances>k__BackingField (System.Private.CoreLib)", "System.Threading.Tasks.Task+DelayPromise", "System.Runtime.CompilerServices.AsyncTaskMethodBuilder<System.Threading.Tasks.VoidTaskResult>+AsyncStateMachineBox<LeakCorpusPlugin.DelayLoop+<LoopAsync>d__1>")]
    [InlineData("RegisteredWait", LeakRootKind.RegisteredWait, "'.NET TP Wait'", "System.Threading.RegisteredWaitHandle", "System.Reflection.LoaderAllocator")]
    [InlineData("StrongHandle", LeakRootKind.StrongHandle, "strong GC handle 0x", "LeakCorpusPlugin.PluginPayload", "LeakCorpusPlugin.PluginPayload")]
    [InlineData("HostTokenRegistration", LeakRootKind.StaticField, "static field TestApi.HostSignals.Source (TestApi)", "System.Threading.CancellationTokenSource+CallbackNode", "LeakCorpusPlugin.HostTokenRegistration")]
    [InlineData("AsyncLocalFlow", LeakRootKind.ThreadStack, "'host-worker'", "System.Threading.ExecutionContext", "System.Threading.AsyncLocal<LeakCorpusPlugin.PluginPayload>")]
    [InlineData("ThreadLocalValue", LeakRootKind.ThreadStatic, "most likely a [ThreadStatic] field or a ThreadLocal<T> value", "System.Threading.ThreadLocal<System.Object>+LinkedSlot", "LeakCorpusPlugin.PluginPayload")]
    [InlineData("DiagnosticListenerSubscription", LeakRootKind.StaticField, "static field System.Diagnostics.DiagnosticListener.s_allListenerObservable (System.Diagnostics.DiagnosticSource)", "System.Diagnostics.DiagnosticListener+AllListenerObservable+AllListenerSubscription", "LeakCorpusPlugin.DiagnosticListenerSubscription")]
    public async Task A_leaking_plugin_is_reported_with_its_true_root(string entryType, LeakRootKind kind, string root, string via, string plugin)
    {
        try
        {
            UnloadReport report = await LeakCorpus.LoadUseAndUnloadAsync(entryType, LeakCorpus.Options());

            Assert.False(report.Collected);
            LeakRoot first = Assert.IsType<LeakRoot>(report.Roots.FirstOrDefault(), exactMatch: false);
            Assert.True(first.Kind == kind && first.Root.Contains(root, StringComparison.Ordinal), report.ToString());
            Assert.Contains(via, first.Chain);
            Assert.Equal(plugin, first.Chain[^1]);
            Assert.Null(report.Diagnosis);
            Assert.Contains($"GC roots: {kind}: ", report.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            HostWorkers.StopAll();
        }
    }

    [Fact]
    public async Task An_entry_instance_the_host_still_holds_is_named_by_its_field()
    {
        try
        {
            UnloadReport report = await LeakCorpus.LoadUseAndUnloadAsync("Clean", LeakCorpus.Options(), keepInstance: true);

            Assert.False(report.Collected);
            Assert.Contains("1 of 1 entry instance(s) Plugboard handed out are still alive (held by the host, or by an event, cache or root named here)", report.Suspects);
            LeakRoot first = report.Roots[0];
            Assert.Equal(LeakRootKind.StaticField, first.Kind);
            Assert.Equal("static field Plugboard.Tests.LeakCorpus.<KeptByHost>k__BackingField (Plugboard.Tests)", first.Root);
            Assert.Equal(["LeakCorpusPlugin.Clean"], first.Chain);
        }
        finally
        {
            LeakCorpus.KeptByHost = null;
        }
    }

    [Theory]
    [InlineData("ProcessExitHandler", "framework static event AppDomain.ProcessExit still holds the plugin's handler LeakCorpusPlugin.ProcessExitHandler.OnProcessExit (unsubscribe in StopAsync)")]
    [InlineData("CancelKeyPressHandler", "framework static event Console.CancelKeyPress still holds the plugin's handler LeakCorpusPlugin.CancelKeyPressHandler.OnCancel (unsubscribe in StopAsync)")]
    [InlineData("AssemblyResolveHandler", "framework static event AppDomain.AssemblyResolve still holds the plugin's handler LeakCorpusPlugin.AssemblyResolveHandler.OnResolve (unsubscribe in StopAsync)")]
    [InlineData("UnhandledExceptionHandler", "framework static event AppDomain.UnhandledException still holds the plugin's handler LeakCorpusPlugin.UnhandledExceptionHandler.OnUnhandled (unsubscribe in StopAsync)")]
    public async Task Framework_static_events_are_named_without_the_deep_diagnosis(string entryType, string suspect)
    {
        UnloadReport report = await LeakCorpus.LoadUseAndUnloadAsync(entryType, LeakCorpus.Options(deep: false));

        Assert.False(report.Collected);
        Assert.Contains(suspect, report.Suspects);
        Assert.Empty(report.Roots);
        Assert.StartsWith("deep diagnosis is off: set PluginHostOptions.UnloadDiagnosis = new Plugboard.Diagnostics.HeapRootDiagnosis()", report.Diagnosis, StringComparison.Ordinal);
        Assert.Contains(report.Diagnosis!, report.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runtime_pool_threads_created_while_the_plugin_was_loaded_are_not_counted_as_the_plugins()
    {
        using var plugins = new PluginFolder("IdentityPlugin");
        var host = new PluginHost<ILedgerPlugin>(new PluginHostOptions { UnloadCollectionAttempts = 3 });
        PluginLoadResult<ILedgerPlugin> result = await host.LoadAllAsync(host.Discover(plugins.Root));
        ILedgerPlugin kept = result.Instances.Single();
        GrowThreadPool();

        UnloadReport report = await result.Loaded[0].UnloadAsync();

        Assert.False(report.Collected);
        Assert.DoesNotContain(report.Suspects, s => s.Contains("thread", StringComparison.Ordinal));
        Assert.Contains(report.Suspects, s => s.StartsWith("1 of 1 entry instance(s)", StringComparison.Ordinal));
        GC.KeepAlive(kept);
    }

    /// <summary>Blocks pool threads until the pool has injected new ones, then lets them go: what an unload's waits do to a busy pool.</summary>
    private static void GrowThreadPool()
    {
        int before = ThreadPool.ThreadCount;
        using var release = new ManualResetEventSlim(false);
        // More blockers than the pool has threads: idle threads left by earlier tests would otherwise take them all
        // and the pool would not grow (flake-check run 8 of 10: "the pool grew from 9 to 10 threads only").
        int blockers = before + 4;
        var blocked = Enumerable.Range(0, blockers).Select(_ => Task.Run(() => release.Wait(TimeSpan.FromSeconds(10)))).ToArray();
        SpinWait.SpinUntil(() => ThreadPool.ThreadCount >= before + 2, TimeSpan.FromSeconds(10));
        Assert.True(ThreadPool.ThreadCount >= before + 2, $"the pool grew from {before} to {ThreadPool.ThreadCount} threads only");
        release.Set();
        Task.WaitAll(blocked);
    }
}
