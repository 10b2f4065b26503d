namespace Plugboard.Benchmarks;

/// <summary>
/// One call of the out-of-process round trip against gRPC over the same kind of socket, as the isolation benchmarks'
/// interleaved scenario measured it (<c>benchmarks/Plugboard.Isolation.Benchmarks</c>, <c>--round-trip --json</c>,
/// run by benchmarks/run.sh before this harness): medians and p95 in microseconds over all rounds, and the ratio of
/// the two medians per block of rounds, whose spread decides the verdict.
/// </summary>
internal sealed record RoundTripRun(string Call, int Rounds, int Block, double IsolatedMedian, double IsolatedP95, double GrpcMedian, double GrpcP95, List<double> BlockRatios)
{
    public static IReadOnlyList<RoundTripRun> Read(string file) =>
        System.Text.Json.JsonSerializer.Deserialize<List<RoundTripRun>>(File.ReadAllText(file)) ?? [];
}
