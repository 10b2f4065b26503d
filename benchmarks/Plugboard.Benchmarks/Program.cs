using System.Diagnostics;
using System.Globalization;

namespace Plugboard.Benchmarks;

/// <summary>What to run.</summary>
internal sealed class HarnessOptions
{
    public bool Smoke { get; set; }
    public string Output { get; set; } = Path.Combine(PluginFarm.RepoRoot, "docs", "benchmarks.md");
    public int Cycles { get; set; } = 1000;
    public int Reloads { get; set; } = 20;
    public int Plugins { get; set; } = 1000;
    public int ColdLoadRounds { get; set; } = 40;

    /// <summary>Host → native calls in pairs: processes, rounds per process, timed blocks per subject per round, benchmark invocations (1024 calls each) per block.</summary>
    public int NativePairProcesses { get; set; } = 5;
    public int NativePairRounds { get; set; } = 41;
    public int NativePairBlocks { get; set; } = 15;
    public int NativePairInvocations { get; set; } = 16;

    /// <summary>Web benchmarks: rounds of request pairs, requests per endpoint per round; the load test's phases and reloads.</summary>
    public int WebPairRounds { get; set; } = 30;
    public int WebRequestsPerRound { get; set; } = 2000;
    public TimeSpan WebBaseline { get; set; } = TimeSpan.FromSeconds(10);
    public TimeSpan WebLoad { get; set; } = TimeSpan.FromSeconds(20);
    public int WebReloads { get; set; } = 20;
    public bool SkipBenchmarkDotNet { get; set; }

    /// <summary>Runs only the parts whose name contains this (Discovery, ColdLoad, ColdLoadPairs, NativeBenchmarks, NativePairs, Call, cycles, reload, scale, WebRequests, WebLoad; "web" both): for investigating, never for the report.</summary>
    public string? Only { get; set; }

    /// <summary>Rewrites the report from a saved run's results.json instead of measuring.</summary>
    public string? ReportFrom { get; set; }

    /// <summary>The folder of callgrind dumps from the child run (benchmarks/run.sh), read into the report.</summary>
    public string? InstructionsFrom { get; set; }

    /// <summary>The out-of-process round trip's figures (benchmarks/run.sh runs the isolation benchmarks first), read into the report.</summary>
    public string? RoundTripFrom { get; set; }

    /// <summary>The callgrind shim library: this process is the child run under callgrind.</summary>
    public string? InstructionsChild { get; set; }

    public bool Runs(string part) => Only is null || part.Contains(Only, StringComparison.OrdinalIgnoreCase);

    public static HarnessOptions Parse(string[] args)
    {
        var options = new HarnessOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--smoke": options.Smoke = true; break;
                case "--out": options.Output = Path.GetFullPath(Next()); break;
                case "--cycles": options.Cycles = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--reloads": options.Reloads = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--plugins": options.Plugins = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--no-bdn": options.SkipBenchmarkDotNet = true; break;
                case "--only": options.Only = Next(); break;
                case "--report-from": options.ReportFrom = Path.GetFullPath(Next()); break;
                case "--instructions": options.InstructionsFrom = Path.GetFullPath(Next()); break;
                case "--round-trip": options.RoundTripFrom = Path.GetFullPath(Next()); break;
                case "--instructions-child": options.InstructionsChild = Path.GetFullPath(Next()); break;
                default: throw new ArgumentException($"unknown argument {args[i]}; use --smoke, --out FILE, --cycles N, --reloads N, --plugins N, --no-bdn, --only PART, --instructions DIR, --round-trip FILE");
            }
        }
        if (options.Smoke)
        {
            if (!args.Contains("--out"))
            {
                // A smoke run never replaces the real report.
                options.Output = Path.Combine(PluginFarm.CacheRoot, "..", "smoke.md");
            }
            Settings.DiscoverySizes = [3];
            options.Cycles = 3;
            options.Reloads = 2;
            options.Plugins = 3;
            options.ColdLoadRounds = 1;
            options.NativePairProcesses = 0;
            options.NativePairRounds = 2;
            options.NativePairBlocks = 2;
            options.NativePairInvocations = 1;
            options.WebPairRounds = 2;
            options.WebRequestsPerRound = 20;
            options.WebBaseline = TimeSpan.FromSeconds(1);
            options.WebLoad = TimeSpan.FromSeconds(2);
            options.WebReloads = 2;
        }
        return options;
    }
}

/// <summary>The harness: generates the inputs, asserts discovery loads nothing, runs every scenario, writes the report.</summary>
internal static class Harness
{
    private static readonly System.Text.Json.JsonSerializerOptions Json = new() { WriteIndented = true, IncludeFields = false };

    public static string ResultsFile => Path.GetFullPath(Path.Combine(PluginFarm.CacheRoot, "..", "results.json"));

    public static async Task<Results> RunAsync(HarnessOptions options)
    {
        if (options.ReportFrom is string saved)
        {
            Results again = System.Text.Json.JsonSerializer.Deserialize<Results>(await File.ReadAllTextAsync(saved), Json)!;
            await File.WriteAllTextAsync(options.Output, Report.Write(again));
            Log($"rewrote {options.Output} from {saved}");
            return again;
        }
        var clock = Stopwatch.StartNew();
        var results = new Results { Smoke = options.Smoke, Started = DateTimeOffset.UtcNow, LoadAtStart = Machine.LoadAverage, BusyAtStart = Machine.OtherBusyProcesses() };
        CpuSample cpuAtStart = Machine.SampleCpu();
        Log($"inputs: cloning the template plugin (cached in {PluginFarm.CacheRoot})");
        foreach (int n in Settings.DiscoverySizes.Append(options.Plugins).Distinct())
        {
            PluginFarm.Get(n);
        }

        Log("discovery: asserting that no plugin assembly is loaded");
        foreach (int n in Settings.DiscoverySizes)
        {
            DiscoveryCheck check = Scenarios.CheckDiscovery(n);
            results.DiscoveryChecks.Add(check);
            if (check.PluginAssembliesLoaded != 0 || check.ContextsCreated != 0 || check.FilesLeftOpen != 0 || check.Compatible != n)
            {
                throw new InvalidOperationException($"discovery of {n} plugins is not metadata-only: {check}");
            }
        }

        if (options.Smoke)
        {
            results.Rows.AddRange(Measured.Smoke());
        }
        else if (!options.SkipBenchmarkDotNet)
        {
            results.Rows.AddRange(Measured.Run(Path.Combine(PluginFarm.CacheRoot, "..", "bdn"), options.Runs));
        }

        if (options.InstructionsFrom is string dumps)
        {
            results.Instructions.AddRange(Instructions.Read(dumps));
            Log($"instruction counts: {results.Instructions.Count} call paths read from {dumps}");
        }

        if (options.RoundTripFrom is string roundTrip)
        {
            results.RoundTrips.AddRange(RoundTripRun.Read(roundTrip));
            Log($"out-of-process round trip: {results.RoundTrips.Count} calls read from {roundTrip}");
        }

        if (options.Runs("ColdLoadPairs"))
        {
            Log($"cold load in pairs: {options.ColdLoadRounds} rounds");
            results.ColdLoad.Add(await ColdLoadPairs.Measure(options.ColdLoadRounds));
        }
        if (options.Runs("NativePairs") && NativeBenchmarks.Available)
        {
            Log($"host → native calls in pairs: {options.NativePairProcesses} processes of {options.NativePairRounds} rounds of {options.NativePairBlocks} blocks");
            results.NativePairs.Add(NativeCallPairs.MeasureInProcesses(options.NativePairProcesses, options.NativePairRounds, options.NativePairBlocks, options.NativePairInvocations));
        }
        if (options.Runs("cycles"))
        {
            Log($"load + unload: {options.Cycles} cycles each");
            results.Cycles.AddRange(await Scenarios.LoadUnloadCycles(options.Cycles, block: Math.Min(options.Cycles, 100)));
        }
        if (options.Runs("reload"))
        {
            Log($"hot reload: {options.Reloads} reloads each");
            results.Reloads.AddRange(await Scenarios.HotReload(options.Reloads, TimeSpan.FromMilliseconds(options.Smoke ? 50 : 100)));
        }
        if (options.Runs("scale"))
        {
            Log($"{options.Plugins} plugins in one process");
            int[] checkpoints = options.Smoke ? [1, 2, 3] : [.. new[] { 100, 250, 500, 750, 1000 }.Where(c => c < options.Plugins).Append(options.Plugins)];
            results.Scale.AddRange(await Scenarios.ManyPlugins(options.Plugins, checkpoints));
        }

        if (options.Runs("WebRequests"))
        {
            Log($"web: plugin endpoint vs host endpoint, {options.WebPairRounds} rounds of {options.WebRequestsPerRound} request pairs");
            results.WebRequests.Add(await WebRequestPairs.Measure(options.WebPairRounds, options.WebRequestsPerRound));
        }
        if (options.Runs("WebLoad"))
        {
            Log($"web: load test, 4 clients, {options.WebBaseline.TotalSeconds:F0} s without reloads, then {options.WebLoad.TotalSeconds:F0} s with {options.WebReloads} reloads");
            results.WebLoad.Add(await WebLoadRun.Run(4, options.WebBaseline, options.WebLoad, options.WebReloads));
        }

        if (options.Runs("diagnosis"))
        {
            long heap = options.Smoke ? 10L << 20 : 100L << 20;
            Log($"deep unload diagnosis on a {heap >> 20} MB heap");
            results.Diagnosis.Add(await DiagnosisScenario.Run(heap));
        }

        results.LoadAtEnd = Machine.LoadAverage;
        results.BusyAtEnd = Machine.OtherBusyProcesses();
        results.OthersCpuShare = Machine.SampleCpu().OthersShareSince(cpuAtStart);
        results.Duration = clock.Elapsed;
        Directory.CreateDirectory(Path.GetDirectoryName(options.Output)!);
        await File.WriteAllTextAsync(options.Output, Report.Write(results));
        if (!options.Smoke)
        {
            await File.WriteAllTextAsync(ResultsFile, System.Text.Json.JsonSerializer.Serialize(results, Json));
        }
        Log($"wrote {options.Output} in {clock.Elapsed.TotalMinutes:F1} min");
        return results;
    }

    private static void Log(string message) => Console.WriteLine($"[harness {DateTime.Now:HH:mm:ss}] {message}");
}

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 4 && args[0] == NativeCallPairs.ChildArgument)
        {
            return NativeCallPairs.RunChild(args);
        }
        HarnessOptions options;
        try
        {
            options = HarnessOptions.Parse(args);
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return 2;
        }
        if (options.InstructionsChild is string shim)
        {
            return Instructions.RunChild(shim);
        }
        await Harness.RunAsync(options);
        return 0;
    }
}
