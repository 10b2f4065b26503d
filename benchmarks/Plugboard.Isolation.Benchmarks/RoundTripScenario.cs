using System.Diagnostics;
using IsolationApi;

namespace Plugboard.Isolation.Benchmarks;

/// <summary>
/// The out-of-process round trip against gRPC's, call by call: each round makes one call of each, in alternating
/// order, so that both meet the same moment's noise (another process's build, a GC), and the ratio is of medians
/// over thousands of rounds. BenchmarkDotNet's ShortRun rows of the same calls are three iterations each, run one
/// after the other; on this shared machine their error columns are wider than the figures. <c>-- --round-trip</c>;
/// with <c>--json FILE</c> the figures also go to FILE for the main report (benchmarks/run.sh), with the ratio of
/// the two medians per block of <see cref="Block"/> rounds, so that the report's verdict weighs the spread over blocks.
/// </summary>
internal static class RoundTripScenario
{
    private const int WarmupRounds = 500;

    /// <summary>Rounds per block of the per-block ratios.</summary>
    public const int Block = 100;

    /// <summary>One call's figures, as the main report reads them (its <c>RoundTripRun</c>).</summary>
    internal sealed record Figures(string Call, int Rounds, int Block, double IsolatedMedian, double IsolatedP95, double GrpcMedian, double GrpcP95, List<double> BlockRatios);

    public static async Task<int> RunAsync(string? json)
    {
        using var copy = new PluginCopy("round-trip");
        string root = copy.Root;
        var options = new PluginHostOptions();
        options.Isolation.Default = PluginIsolation.OutOfProcess;
        await using var host = new PluginHost<IProbe>(options);
        LoadedPlugin<IProbe> plugin = (await host.LoadAllAsync(host.Discover(root))).Loaded.Single();
        using var grpc = new GrpcReference.Client(root);

        Console.WriteLine($"# Out-of-process round trip against gRPC, interleaved, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load average {LoadAverage()}");
        Console.WriteLine();
        Console.WriteLine("| call | rounds | out of process, median (p95) | gRPC, median (p95) | out of process / gRPC (medians) |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        List<Figures> figures =
        [
            Compare("`Echo(\"x\")`", "x", 5000, plugin, grpc),
            Compare("`Echo` of a 64 KB string", new string('x', 64 * 1024), 1000, plugin, grpc),
        ];
        Console.WriteLine();
        Console.WriteLine($"load average at the end {LoadAverage()}");
        if (json is not null)
        {
            await File.WriteAllTextAsync(json, System.Text.Json.JsonSerializer.Serialize(figures));
        }
        return 0;
    }

    private static Figures Compare(string name, string text, int rounds, LoadedPlugin<IProbe> plugin, GrpcReference.Client grpc)
    {
        var isolated = new List<double>(rounds);
        var reference = new List<double>(rounds);
        for (int i = 0; i < WarmupRounds + rounds; i++)
        {
            bool isolatedFirst = i % 2 == 0;
            double first = Time(isolatedFirst ? () => plugin.Invoke(p => p.Echo(text)) : () => grpc.Echo(text));
            double second = Time(isolatedFirst ? () => grpc.Echo(text) : () => plugin.Invoke(p => p.Echo(text)));
            if (i < WarmupRounds)
            {
                continue;
            }
            isolated.Add(isolatedFirst ? first : second);
            reference.Add(isolatedFirst ? second : first);
        }
        var blockRatios = new List<double>();
        for (int start = 0; start + Block <= rounds; start += Block)
        {
            List<double> a = [.. isolated.GetRange(start, Block).Order()], b = [.. reference.GetRange(start, Block).Order()];
            blockRatios.Add(Percentile(a, 0.5) / Percentile(b, 0.5));
        }
        isolated.Sort();
        reference.Sort();
        double ratio = Percentile(isolated, 0.5) / Percentile(reference, 0.5);
        Console.WriteLine($"| {name} | {rounds} | {Percentile(isolated, 0.5):0.0} µs ({Percentile(isolated, 0.95):0.0}) | {Percentile(reference, 0.5):0.0} µs ({Percentile(reference, 0.95):0.0}) | {ratio:0.00}× |");
        return new Figures(name, rounds, Block, Percentile(isolated, 0.5), Percentile(isolated, 0.95), Percentile(reference, 0.5), Percentile(reference, 0.95), blockRatios);
    }

    private static double Time(Func<string> call)
    {
        long start = Stopwatch.GetTimestamp();
        string answer = call();
        double micros = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        return answer.Length > 0 ? micros : throw new InvalidOperationException("an empty answer");
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static string LoadAverage() => File.ReadAllText("/proc/loadavg").Split(' ')[0];
}
