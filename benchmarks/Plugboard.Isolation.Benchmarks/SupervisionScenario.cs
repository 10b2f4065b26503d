using System.Diagnostics;
using System.Globalization;
using IsolationApi;

namespace Plugboard.Isolation.Benchmarks;

/// <summary>
/// What BenchmarkDotNet cannot time: how long an out-of-process plugin is gone after its worker is killed (from the
/// kill to the first call answered by the new worker), calls per second with 8 callers in and out of process, and the
/// memory one idle worker takes. A custom loop, side by side in one run; <c>-- --supervision</c>.
/// </summary>
internal static class SupervisionScenario
{
    private const int Kills = 20;
    private const int Callers = 8;
    private static readonly TimeSpan ThroughputWindow = TimeSpan.FromSeconds(3);

    public static async Task<int> RunAsync()
    {
        using var copy = new PluginCopy("supervision");
        string root = copy.Root;
        var options = new PluginHostOptions();
        options.Isolation.Default = PluginIsolation.OutOfProcess;
        // Each kill is measured as a first crash: a window shorter than the gap between kills keeps the restart
        // delay at RestartDelay (within a window it doubles per crash, up to MaxRestartDelay: the backoff, not the restart).
        options.Isolation.CrashWindow = TimeSpan.FromMilliseconds(1);
        await using var isolatedHost = new PluginHost<IProbe>(options);
        LoadedPlugin<IProbe> isolated = (await isolatedHost.LoadAllAsync(isolatedHost.Discover(root))).Loaded.Single();
        await using var inProcessHost = new PluginHost<IProbe>();
        LoadedPlugin<IProbe> inProcess = (await inProcessHost.LoadAllAsync(inProcessHost.Discover(root))).Loaded.Single();

        Console.WriteLine($"# Out-of-process supervision, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load average {LoadAverage()}");
        Console.WriteLine();
        // A worker runs the host's Plugboard.dll: precompiled when the host was published ReadyToRun.
        Console.WriteLine($"Plugboard.dll here (and in the workers): {(IsReadyToRun(typeof(PluginHost<>).Assembly.Location) ? "ReadyToRun (precompiled)" : "IL only (compiled at run time)")}");
        Console.WriteLine();
        int worker = isolated.Invoke(p => p.ProcessId());
        Console.WriteLine($"| idle worker (pid {worker}) | {Memory(worker)} |");
        Console.WriteLine($"| this host process, for scale | {Memory(Environment.ProcessId)} |");
        Console.WriteLine();

        List<double> recoveries = await Recoveries(isolated);
        Console.WriteLine($"| kill → first answered call ({Kills} kills, each a first crash; RestartDelay {options.Isolation.RestartDelay.TotalMilliseconds:0} ms included) | median {Percentile(recoveries, 0.5):0.0} ms | p95 {Percentile(recoveries, 0.95):0.0} ms | min {recoveries[0]:0.0} ms | max {recoveries[^1]:0.0} ms |");

        // The same with a worker waiting behind the serving one (StandbyWorker): the restart skips starting a process.
        var standbyOptions = new PluginHostOptions();
        options.Isolation.CopyTo(standbyOptions.Isolation);
        standbyOptions.Isolation.StandbyWorker = true;
        await using var standbyHost = new PluginHost<IProbe>(standbyOptions);
        LoadedPlugin<IProbe> standby = (await standbyHost.LoadAllAsync(standbyHost.Discover(root))).Loaded.Single();
        int serving = standby.Invoke(p => p.ProcessId());
        await Task.Delay(TimeSpan.FromSeconds(3)); // the waiting worker comes up behind the serving one
        int[] waiting = [.. Workers().Where(pid => pid != serving && pid != isolated.Invoke(p => p.ProcessId()))];
        Console.WriteLine($"| a waiting worker (`StandbyWorker`, armed: the plugin inspected, not loaded; pid {string.Join(", ", waiting)}) | {(waiting.Length == 1 ? Memory(waiting[0]) : $"{waiting.Length} found")} |");
        List<double> fast = await Recoveries(standby);
        Console.WriteLine($"| the same with `StandbyWorker` (the armed worker started ahead takes over) | median {Percentile(fast, 0.5):0.0} ms | p95 {Percentile(fast, 0.95):0.0} ms | min {fast[0]:0.0} ms | max {fast[^1]:0.0} ms |");

        double inRate = Throughput(inProcess), outRate = Throughput(isolated);
        Console.WriteLine($"| calls per second, {Callers} callers, Echo(\"x\") | in process {inRate:N0} | out of process {outRate:N0} | {inRate / outRate:0.#}× |");
        return 0;
    }

    /// <summary>
    /// Kills the plugin's worker <see cref="Kills"/> times and times each kill to the first call answered by another
    /// worker. Between kills it waits a second: the worker a restart starts behind the new one (with StandbyWorker)
    /// is up by then, as it is when crashes are not back to back.
    /// </summary>
    private static async Task<List<double>> Recoveries(LoadedPlugin<IProbe> plugin)
    {
        var recoveries = new List<double>();
        for (int i = 0; i < Kills; i++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            int pid = plugin.Invoke(p => p.ProcessId());
            var clock = Stopwatch.StartNew();
            Process.GetProcessById(pid).Kill();
            while (true)
            {
                try
                {
                    if (plugin.Invoke(p => p.ProcessId()) != pid)
                    {
                        break;
                    }
                }
                catch (PluginException)
                {
                    // the call that met the dead worker: the next one waits for the restart
                }
                if (clock.Elapsed > TimeSpan.FromMinutes(1))
                {
                    throw new TimeoutException("the worker did not come back within a minute");
                }
            }
            recoveries.Add(clock.Elapsed.TotalMilliseconds);
        }
        recoveries.Sort();
        return recoveries;
    }

    private static double Throughput(LoadedPlugin<IProbe> plugin)
    {
        long calls = 0;
        var stop = Stopwatch.StartNew();
        Thread[] threads = [.. Enumerable.Range(0, Callers).Select(_ => new Thread(() =>
        {
            long mine = 0;
            while (stop.Elapsed < ThroughputWindow)
            {
                plugin.Invoke(p => p.Echo("x"));
                mine++;
            }
            Interlocked.Add(ref calls, mine);
        }))];
        foreach (Thread thread in threads)
        {
            thread.Start();
        }
        foreach (Thread thread in threads)
        {
            thread.Join();
        }
        return calls / stop.Elapsed.TotalSeconds;
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    // Resident and proportional set size: the PSS counts shared pages (the runtime's libraries) once per sharer.
    private static string Memory(int pid)
    {
        string Field(string file, string name) => File.ReadLines(file).FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";
        return $"RSS {Field($"/proc/{pid}/status", "VmRSS")}, PSS {Field($"/proc/{pid}/smaps_rollup", "Pss")}";
    }

    /// <summary>The worker processes this host started (children running Plugboard.Worker.dll).</summary>
    private static List<int> Workers()
    {
        var workers = new List<int>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid))
            {
                continue;
            }
            try
            {
                string stat = File.ReadAllText(Path.Combine(dir, "stat"));
                string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (fields[1] == $"{Environment.ProcessId}" && File.ReadAllText(Path.Combine(dir, "cmdline")).Contains("Plugboard.Worker.dll", StringComparison.Ordinal))
                {
                    workers.Add(pid);
                }
            }
            catch (IOException)
            {
                // ended meanwhile
            }
        }
        return workers;
    }

    private static bool IsReadyToRun(string path)
    {
        using var pe = new System.Reflection.PortableExecutable.PEReader(File.OpenRead(path));
        return pe.PEHeaders.CorHeader is { ManagedNativeHeaderDirectory.Size: > 0 };
    }

    private static string LoadAverage() => File.ReadAllText("/proc/loadavg").Split(' ')[0];
}
