using System.Diagnostics;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using McMaster.NETCore.Plugins;
using Plugboard.Benchmarks.Api;

namespace Plugboard.Benchmarks;

internal sealed record DiscoveryCheck(int Plugins, int Compatible, int PluginAssembliesLoaded, int ContextsCreated, int FilesLeftOpen);

internal sealed record CycleResult(string Name, int Cycles, int Collected, double TotalMilliseconds, long HeapGrowthBytes, long AllocatedBytes)
{
    /// <summary>Plugboard only: the unload reports' own figures (time of UnloadAsync, full collections it ran).</summary>
    public double? UnloadReportMilliseconds { get; init; }

    public double? CollectionsPerUnload { get; init; }

    public double MillisecondsPerCycle => TotalMilliseconds / Cycles;
}

internal sealed record ReloadRun(string Name, int Reloads, int Observed, double DebounceMilliseconds, List<double> LatenciesMilliseconds, long Calls, long FailedCalls, int CollectedOld)
{
    public double Percentile(double p)
    {
        if (LatenciesMilliseconds.Count == 0)
        {
            return double.NaN;
        }
        List<double> sorted = [.. LatenciesMilliseconds.Order()];
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
    }
}

internal sealed record ScalePoint(int Loaded, double CumulativeMilliseconds, long HeapBytes, long ResidentBytes);

internal sealed record ScaleRun(string Name, List<ScalePoint> Points, double UnloadMilliseconds, int Collected);

/// <summary>The scenarios measured by custom loops (Stopwatch + GC APIs), each run side by side with its peers in this process.</summary>
internal static class Scenarios
{
    private static string HotRoot => Path.Combine(PluginFarm.CacheRoot, "..", "hot");

    // ---------------------------------------------------------------- discovery loads nothing

    /// <summary>Discovers <paramref name="count"/> plugins and counts what got loaded and what stayed open.</summary>
    public static DiscoveryCheck CheckDiscovery(int count)
    {
        string directory = PluginFarm.Get(count);
        var host = new PluginHost<IBenchPlugin>();
        int loaded = 0;
        void OnLoad(object? sender, AssemblyLoadEventArgs e)
        {
            if (e.LoadedAssembly.GetName().Name?.StartsWith("BenchPlugin_", StringComparison.Ordinal) == true)
            {
                Interlocked.Increment(ref loaded);
            }
        }
        int contextsBefore = AssemblyLoadContext.All.Count();
        AppDomain.CurrentDomain.AssemblyLoad += OnLoad;
        PluginCatalog catalog;
        try
        {
            catalog = host.Discover(directory);
        }
        finally
        {
            AppDomain.CurrentDomain.AssemblyLoad -= OnLoad;
        }
        int contextsAfter = AssemblyLoadContext.All.Count();
        loaded += AssemblyLoadContext.All.SelectMany(c => c.Assemblies).Count(a => a.GetName().Name?.StartsWith("BenchPlugin_", StringComparison.Ordinal) == true
            && a.Location.StartsWith(directory, StringComparison.Ordinal));
        return new DiscoveryCheck(catalog.Entries.Count, catalog.Compatible.Count(), loaded, Math.Max(0, contextsAfter - contextsBefore), OpenFilesUnder(directory));
    }

    private static int OpenFilesUnder(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return 0;
        }
        int open = 0;
        foreach (string fd in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            try
            {
                if (new FileInfo(fd).LinkTarget is string target && target.StartsWith(directory, StringComparison.Ordinal))
                {
                    open++;
                }
            }
            catch (IOException)
            {
            }
        }
        return open;
    }

    // ---------------------------------------------------------------- load + unload cycles

    /// <summary>
    /// Load, call once, unload and verify collection, <paramref name="cycles"/> times for each of the raw runtime,
    /// McMaster and Plugboard. The three run interleaved in blocks so that noise from other processes hits all alike;
    /// the managed heap growth of each is summed over its blocks (heap after full collections, after minus before).
    /// </summary>
    public static async Task<List<CycleResult>> LoadUnloadCycles(int cycles, int block)
    {
        string directory = PluginFarm.Get(1, first: 700_001);
        string main = PluginFarm.MainFile(directory, 700_001);
        await using var host = new PluginHost<IBenchPlugin>();
        PluginCatalogEntry entry = host.Discover(directory).Entries[0];
        double unloadMilliseconds = 0;
        long collections = 0, unloads = 0;

        var variants = new (string Name, Func<Task<bool>> Cycle)[]
        {
            ("raw runtime (ALC + resolver)", () => Task.FromResult(Peers.CollectedWithin(Peers.RawCycle(main)))),
            ("McMaster (IsUnloadable, Dispose)", () => Task.FromResult(Peers.CollectedWithin(Peers.McMasterCycle(main)))),
            ("Plugboard (LoadAsync, Invoke, UnloadAsync)", async () =>
            {
                LoadedPlugin<IBenchPlugin> plugin = await host.LoadAsync(entry).ConfigureAwait(false);
                Peers.Check(plugin.Invoke(static p => p.Compute(1)));
                UnloadReport report = await plugin.UnloadAsync().ConfigureAwait(false);
                unloadMilliseconds += report.Elapsed.TotalMilliseconds;
                collections += report.Collections;
                unloads++;
                return report.Collected;
            }),
        };
        var collected = new int[variants.Length];
        var elapsed = new double[variants.Length];
        var growth = new long[variants.Length];
        var allocated = new long[variants.Length];
        // Warm-up: JIT every path once.
        for (int v = 0; v < variants.Length; v++)
        {
            for (int i = 0; i < 5; i++)
            {
                await variants[v].Cycle();
            }
        }
        for (int done = 0; done < cycles; done += block)
        {
            int count = Math.Min(block, cycles - done);
            for (int v = 0; v < variants.Length; v++)
            {
                long heapBefore = SettledHeap();
                long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
                long start = Stopwatch.GetTimestamp();
                for (int i = 0; i < count; i++)
                {
                    if (await variants[v].Cycle())
                    {
                        collected[v]++;
                    }
                }
                elapsed[v] += Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                allocated[v] += GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
                growth[v] += SettledHeap() - heapBefore;
            }
        }
        List<CycleResult> results = [.. variants.Select((v, i) => new CycleResult(v.Name, cycles, collected[i], elapsed[i], growth[i], allocated[i]))];
        results[^1] = results[^1] with { UnloadReportMilliseconds = unloadMilliseconds / unloads, CollectionsPerUnload = (double)collections / unloads };
        return results;
    }

    public static long SettledHeap()
    {
        for (int i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    // ---------------------------------------------------------------- hot reload

    /// <summary>
    /// Hot reload under load: a thread calls the plugin in a loop while the main thread writes the other version's build
    /// output over the plugin's folder (main assembly last). Latency = first call answered by the new version minus the
    /// end of the write, the watcher's debounce included (both watchers are given the same one, stated in the report).
    /// </summary>
    public static async Task<List<ReloadRun>> HotReload(int reloads, TimeSpan debounce)
    {
        return [await PlugboardHotReload(reloads, debounce), McMasterHotReload(reloads, debounce)];
    }

    private static string FreshHotDirectory(string who, string name, out string pluginFolder)
    {
        string root = Path.GetFullPath(Path.Combine(HotRoot, $"{who}-{Guid.NewGuid():N}"));
        pluginFolder = Path.Combine(root, name);
        PluginFarm.Clone(PluginFarm.TemplateDirectory("BenchPlugin"), pluginFolder, name);
        return root;
    }

    private static void WriteVersion(string pluginFolder, string name, string version) =>
        PluginFarm.Clone(PluginFarm.TemplateDirectory(version == "v2" ? "BenchPluginV2" : "BenchPlugin"), pluginFolder, name, mainAssemblyLast: true);

    private sealed class Caller
    {
        private readonly Func<string> _call;
        private readonly Thread _thread;
        private volatile bool _stop;
        private volatile Expectation? _expected;
        private long _calls;
        private long _failures;

        public Caller(Func<string> call)
        {
            _call = call;
            _thread = new Thread(Run) { IsBackground = true, Name = "bench caller" };
            _thread.Start();
        }

        public long Calls => Interlocked.Read(ref _calls);

        public long Failures => Interlocked.Read(ref _failures);

        /// <summary>
        /// From now on, the first answer <paramref name="version"/> is timestamped. A new object per expectation: an
        /// answer of the previous version that is still in flight can only mark the previous expectation, never this one
        /// (resetting one shared timestamp let such an answer land first and gave latencies below zero).
        /// </summary>
        public Expectation Expect(string version)
        {
            var expectation = new Expectation(version);
            _expected = expectation;
            return expectation;
        }

        public void Stop()
        {
            _stop = true;
            _thread.Join();
        }

        private void Run()
        {
            while (!_stop)
            {
                // Read before the call: the answer is compared with what was expected when the call started.
                Expectation? expected = _expected;
                try
                {
                    string version = _call();
                    Interlocked.Increment(ref _calls);
                    if (expected is not null && version == expected.Version)
                    {
                        expected.Observe();
                    }
                }
                catch (Exception)
                {
                    Interlocked.Increment(ref _failures);
                }
            }
        }
    }

    /// <summary>One version the caller waits for, and when it first answered.</summary>
    private sealed class Expectation(string version)
    {
        private long _observedAt;

        public string Version { get; } = version;

        public void Observe() => Interlocked.CompareExchange(ref _observedAt, Stopwatch.GetTimestamp(), 0);

        /// <summary>Waits for the expected version to answer; returns the timestamp, or 0 on timeout.</summary>
        public long WaitObserved(TimeSpan timeout)
        {
            var clock = Stopwatch.StartNew();
            while (Interlocked.Read(ref _observedAt) == 0 && clock.Elapsed < timeout)
            {
                Thread.Sleep(1);
            }
            return Interlocked.Read(ref _observedAt);
        }
    }

    private static async Task<ReloadRun> PlugboardHotReload(int reloads, TimeSpan debounce)
    {
        const string name = "BenchPlugin_600001";
        string root = FreshHotDirectory("plugboard", name, out string pluginFolder);
        var latencies = new List<double>();
        int collectedOld = 0;
        int reloaded = 0;
        await using (var host = new PluginHost<IBenchPlugin>())
        {
            host.PluginReloaded += (_, e) =>
            {
                if (e.Unload?.Collected == true)
                {
                    Interlocked.Increment(ref collectedOld);
                }
                Interlocked.Increment(ref reloaded);
            };
            LoadedPlugin<IBenchPlugin> plugin = (await host.LoadAllAsync(host.Discover(root))).Loaded.Single();
            await using PluginDirectoryWatcher<IBenchPlugin> watcher = host.Watch(root, debounce);
            var caller = new Caller(() => plugin.Invoke(static p => p.Version));
            latencies.AddRange(RunReloads(reloads, debounce, caller, pluginFolder, name, () => Volatile.Read(ref reloaded)));
            caller.Stop();
            Directory.Delete(root, recursive: true);
            return new ReloadRun("Plugboard (Watch)", reloads, latencies.Count, debounce.TotalMilliseconds, latencies, caller.Calls, caller.Failures, collectedOld);
        }
    }

    private static ReloadRun McMasterHotReload(int reloads, TimeSpan debounce)
    {
        const string name = "BenchPlugin_600002";
        string root = FreshHotDirectory("mcmaster", name, out string pluginFolder);
        int reloaded = 0;
        var oldContexts = new List<WeakReference>();
        using PluginLoader loader = Peers.McMasterLoader(Path.Combine(pluginFolder, name + ".dll"), config =>
        {
            config.EnableHotReload = true;
            config.ReloadDelay = debounce;
            config.LoadInMemory = true;
        });
        IBenchPlugin current = Create(loader);
        var contextOf = new WeakReference(loader.LoadContext, trackResurrection: true);
        loader.Reloaded += (_, e) =>
        {
            lock (oldContexts)
            {
                oldContexts.Add(contextOf);
                contextOf = new WeakReference(e.Loader.LoadContext, trackResurrection: true);
            }
            Volatile.Write(ref current, Create(e.Loader));
            Interlocked.Increment(ref reloaded);
        };
        var caller = new Caller(() => Volatile.Read(ref current).Version);
        List<double> latencies = RunReloads(reloads, debounce, caller, pluginFolder, name, () => Volatile.Read(ref reloaded));
        caller.Stop();
        int collectedOld;
        lock (oldContexts)
        {
            collectedOld = oldContexts.Count(w => Peers.CollectedWithin(w));
        }
        Directory.Delete(root, recursive: true);
        return new ReloadRun("McMaster (EnableHotReload)", reloads, latencies.Count, debounce.TotalMilliseconds, latencies, caller.Calls, caller.Failures, collectedOld);

        static IBenchPlugin Create(PluginLoader loader) =>
            (IBenchPlugin)Activator.CreateInstance(loader.LoadDefaultAssembly().GetType(PluginFarm.EntryTypeName, throwOnError: true)!)!;
    }

    private static List<double> RunReloads(int reloads, TimeSpan debounce, Caller caller, string pluginFolder, string name, Func<int> reloadedCount)
    {
        var latencies = new List<double>();
        for (int r = 0; r < reloads; r++)
        {
            string version = r % 2 == 0 ? "v2" : "v1";
            int before = reloadedCount();
            Expectation expected = caller.Expect(version);
            WriteVersion(pluginFolder, name, version);
            long written = Stopwatch.GetTimestamp();
            long observed = expected.WaitObserved(TimeSpan.FromSeconds(15));
            if (observed != 0)
            {
                // The whole latency, debounce included: nothing assumed is subtracted.
                double latency = Stopwatch.GetElapsedTime(written, observed).TotalMilliseconds;
                if (latency < 0)
                {
                    // Only a harness defect can answer with a version before its write ended: the run is void.
                    throw new InvalidOperationException($"hot reload {r + 1}: {version} answered {-latency:F1} ms before its write ended; the latency measurement is broken");
                }
                latencies.Add(latency);
            }
            // Let the reload finish (old version retired) and the watcher settle before the next write.
            var clock = Stopwatch.StartNew();
            while (reloadedCount() == before && clock.Elapsed < TimeSpan.FromSeconds(15))
            {
                Thread.Sleep(5);
            }
            Thread.Sleep(debounce * 2);
        }
        return latencies;
    }

    // ---------------------------------------------------------------- many plugins in one process

    /// <summary>Loads <paramref name="count"/> plugins one after the other into one process, with time and memory at checkpoints; then unloads them.</summary>
    public static async Task<List<ScaleRun>> ManyPlugins(int count, int[] checkpoints)
    {
        string directory = PluginFarm.Get(count);
        string[] mains = [.. Enumerable.Range(1, count).Select(i => PluginFarm.MainFile(directory, i))];
        var runs = new List<ScaleRun>();

        var raw = new List<RawPluginContext>();
        runs.Add(await Scale("raw runtime", count, checkpoints, i =>
        {
            (RawPluginContext context, IBenchPlugin instance) = RawPluginContext.Load(mains[i]);
            raw.Add(context);
            Peers.Check(instance.Compute(1));
            return Task.CompletedTask;
        }, () =>
        {
            List<WeakReference> weak = [.. raw.Select(c => new WeakReference(c, trackResurrection: true))]; // the proof Plugboard gives (Peers.RawCycle)
            raw.ForEach(c => c.Unload());
            raw.Clear();
            return Task.FromResult(CountCollected(weak));
        }));

        var loaders = new List<PluginLoader>();
        runs.Add(await Scale("McMaster", count, checkpoints, i =>
        {
            (PluginLoader loader, IBenchPlugin instance) = Peers.McMasterLoad(mains[i]);
            loaders.Add(loader);
            Peers.Check(instance.Compute(1));
            return Task.CompletedTask;
        }, () =>
        {
            List<WeakReference> weak = [.. loaders.Select(l => new WeakReference(l.LoadContext, trackResurrection: true))];
            loaders.ForEach(l => l.Dispose());
            loaders.Clear();
            return Task.FromResult(CountCollected(weak));
        }));

        var host = new PluginHost<IBenchPlugin>();
        PluginCatalogEntry[] entries = [.. host.Discover(directory).Entries];
        runs.Add(await Scale("Plugboard", count, checkpoints, async i =>
        {
            LoadedPlugin<IBenchPlugin> plugin = await host.LoadAsync(entries[i]).ConfigureAwait(false);
            Peers.Check(plugin.Invoke(static p => p.Compute(1)));
        }, async () => (await host.UnloadAllAsync().ConfigureAwait(false)).Count(r => r.Collected)));
        return runs;
    }

    private static int CountCollected(List<WeakReference> weak)
    {
        for (int i = 0; i < 10 && weak.Any(w => w.IsAlive); i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        return weak.Count(w => !w.IsAlive);
    }

    private static async Task<ScaleRun> Scale(string name, int count, int[] checkpoints, Func<int, Task> load, Func<Task<int>> unloadAll)
    {
        var points = new List<ScalePoint> { new(0, 0, SettledHeap(), Resident()) };
        double elapsed = 0;
        int loaded = 0;
        foreach (int checkpoint in checkpoints.Where(c => c <= count))
        {
            long start = Stopwatch.GetTimestamp();
            for (; loaded < checkpoint; loaded++)
            {
                await load(loaded);
            }
            elapsed += Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            points.Add(new ScalePoint(loaded, elapsed, SettledHeap(), Resident()));
        }
        long unloadStart = Stopwatch.GetTimestamp();
        int collected = await unloadAll();
        double unload = Stopwatch.GetElapsedTime(unloadStart).TotalMilliseconds;
        SettledHeap();
        return new ScaleRun(name, points, unload, collected);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long Resident()
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.WorkingSet64;
    }
}
