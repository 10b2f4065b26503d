using System.Diagnostics;
using Plugboard.Benchmarks.Api;

namespace Plugboard.Benchmarks;

/// <summary>
/// Cold load measured in pairs: each round loads the same 32 plugins (distinct assemblies, each into a new context)
/// once with the raw runtime, once from Plugboard catalog entries and once by inspecting each folder first, the three
/// loads of each plugin back to back in a rotating order. A round's ratio compares figures taken within a fraction of a second
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
        // One host per Plugboard variant: both load the same plugins in one round, and a host refuses an id twice.
        await using var fromEntries = new PluginHost<IBenchPlugin>();
        await using var inspecting = new PluginHost<IBenchPlugin>();
        var contexts = new List<RawPluginContext>(count);
        var result = new ColdLoadPairs(count, [], [], []);
        const int warmUp = 2;
        for (int round = 0; round < rounds + warmUp; round++)
        {
            // As a host starts: discover, then load what was found (outside the measurement, like the raw side's paths).
            IReadOnlyList<PluginCatalogEntry> entries = fromEntries.Discover(directory).Entries;
            double[] elapsed = new double[3];
            for (int i = 0; i < count; i++)
            {
                // The three loads of one plugin follow each other, each variant first, second and third equally often,
                // so a burst of the machine's noise falls on all three alike.
                for (int k = 0; k < 3; k++)
                {
                    int variant = (i + round + k) % 3;
                    long start = Stopwatch.GetTimestamp();
                    switch (variant)
                    {
                        case 0:
                            (RawPluginContext context, IBenchPlugin instance) = RawPluginContext.Load(mains[i]);
                            Peers.Check(instance.Compute(1));
                            contexts.Add(context);
                            break;
                        case 1:
                            LoadedPlugin<IBenchPlugin> loaded = await fromEntries.LoadAsync(entries[i]).ConfigureAwait(false);
                            Peers.Check(loaded.Invoke(static p => p.Compute(1)));
                            break;
                        default:
                            LoadedPlugin<IBenchPlugin> inspected = await inspecting.LoadAsync(inspecting.Inspect(Path.GetDirectoryName(mains[i])!)).ConfigureAwait(false);
                            Peers.Check(inspected.Invoke(static p => p.Compute(1)));
                            break;
                    }
                    elapsed[variant] += Stopwatch.GetElapsedTime(start).TotalMicroseconds;
                }
            }
            contexts.ForEach(c => c.Unload());
            contexts.Clear();
            await fromEntries.UnloadAllAsync().ConfigureAwait(false);
            await inspecting.UnloadAllAsync().ConfigureAwait(false);
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            if (round >= warmUp)
            {
                result.RawMicroseconds.Add(elapsed[0] / count);
                result.EntryMicroseconds.Add(elapsed[1] / count);
                result.InspectMicroseconds.Add(elapsed[2] / count);
            }
        }
        return result;
    }
}
