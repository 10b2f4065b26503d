using System.Diagnostics;
using Plugboard.Benchmarks.Api;

namespace Plugboard.Benchmarks;

/// <summary>
/// Cold load measured in pairs: each round loads the same 32 plugins (distinct assemblies, each into a new context)
/// once with the raw runtime, once from Plugboard catalog entries and once by inspecting each folder first, back to
/// back, the order rotating from round to round. A round's ratio compares figures taken within a fraction of a second
/// of each other in the same process, so what the process did before (JIT, heap, tiering) and what the machine is
/// doing weigh on both sides alike; BenchmarkDotNet's cold-load rows run one method after the other, minutes apart.
/// </summary>
/// <param name="PluginsPerRound">Loads per variant per round.</param>
/// <param name="RawMicroseconds">Per round: microseconds per load, raw runtime (ALC + AssemblyDependencyResolver).</param>
/// <param name="EntryMicroseconds">Per round: microseconds per load, Plugboard <c>LoadAsync(entry)</c> + <c>Invoke</c>, from a catalog made before the round.</param>
/// <param name="InspectMicroseconds">Per round: microseconds per load, Plugboard <c>Inspect(folder)</c> + <c>LoadAsync</c> + <c>Invoke</c>.</param>
internal sealed record ColdLoadPairs(int PluginsPerRound, List<double> RawMicroseconds, List<double> EntryMicroseconds, List<double> InspectMicroseconds)
{
    /// <summary>Per round, Plugboard from an entry over the raw runtime.</summary>
    public List<double> EntryRatios => [.. EntryMicroseconds.Zip(RawMicroseconds, (pb, raw) => pb / raw)];

    /// <summary>Per round, Plugboard inspecting first over the raw runtime.</summary>
    public List<double> InspectRatios => [.. InspectMicroseconds.Zip(RawMicroseconds, (pb, raw) => pb / raw)];

    /// <summary>The value below which a share <paramref name="p"/> of <paramref name="values"/> lie (nearest rank).</summary>
    public static double Percentile(List<double> values, double p)
    {
        List<double> sorted = [.. values.Order()];
        return sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    /// <summary>
    /// Met when nine rounds in ten are within the limit, missed when nine in ten are over it, otherwise not
    /// established.
    /// </summary>
    public static Verdict AtMost(List<double> ratios, double limit) =>
        Percentile(ratios, 0.9) <= limit ? Verdict.Met : Percentile(ratios, 0.1) > limit ? Verdict.Missed : Verdict.NotEstablished;

    /// <summary>Runs <paramref name="rounds"/> measured rounds after two warm-up rounds.</summary>
    public static async Task<ColdLoadPairs> Measure(int rounds)
    {
        int count = ColdLoadBenchmarks.PoolSize;
        string directory = PluginFarm.Get(count, first: 900_001);
        string[] mains = [.. Enumerable.Range(900_001, count).Select(i => PluginFarm.MainFile(directory, i))];
        await using var host = new PluginHost<IBenchPlugin>();
        var contexts = new List<RawPluginContext>(count);

        async Task<double> Raw()
        {
            long start = Stopwatch.GetTimestamp();
            foreach (string main in mains)
            {
                (RawPluginContext context, IBenchPlugin instance) = RawPluginContext.Load(main);
                Peers.Check(instance.Compute(1));
                contexts.Add(context);
            }
            double elapsed = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            contexts.ForEach(c => c.Unload());
            contexts.Clear();
            await Task.CompletedTask.ConfigureAwait(false);
            return elapsed;
        }

        async Task<double> FromEntries()
        {
            // As a host starts: discover, then load what was found (outside the measurement, like the raw side's paths).
            IReadOnlyList<PluginCatalogEntry> entries = host.Discover(directory).Entries;
            long start = Stopwatch.GetTimestamp();
            foreach (PluginCatalogEntry entry in entries)
            {
                LoadedPlugin<IBenchPlugin> plugin = await host.LoadAsync(entry).ConfigureAwait(false);
                Peers.Check(plugin.Invoke(static p => p.Compute(1)));
            }
            double elapsed = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            await host.UnloadAllAsync().ConfigureAwait(false);
            return elapsed;
        }

        async Task<double> InspectingFirst()
        {
            long start = Stopwatch.GetTimestamp();
            foreach (string main in mains)
            {
                LoadedPlugin<IBenchPlugin> plugin = await host.LoadAsync(host.Inspect(Path.GetDirectoryName(main)!)).ConfigureAwait(false);
                Peers.Check(plugin.Invoke(static p => p.Compute(1)));
            }
            double elapsed = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            await host.UnloadAllAsync().ConfigureAwait(false);
            return elapsed;
        }

        Func<Task<double>>[] variants = [Raw, FromEntries, InspectingFirst];
        var result = new ColdLoadPairs(count, [], [], []);
        List<double>[] into = [result.RawMicroseconds, result.EntryMicroseconds, result.InspectMicroseconds];
        const int warmUp = 2;
        for (int round = 0; round < rounds + warmUp; round++)
        {
            // Each variant goes first, second and third equally often, in both directions.
            int[] order = [.. Enumerable.Range(0, variants.Length).Select(i => (i + round) % variants.Length)];
            if (round / variants.Length % 2 == 1)
            {
                Array.Reverse(order);
            }
            foreach (int v in order)
            {
                double elapsed = await variants[v]().ConfigureAwait(false);
                GC.Collect();
                GC.WaitForPendingFinalizers();
                GC.Collect();
                if (round >= warmUp)
                {
                    into[v].Add(elapsed / count);
                }
            }
        }
        return result;
    }
}
