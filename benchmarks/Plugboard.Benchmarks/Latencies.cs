namespace Plugboard.Benchmarks;

/// <summary>What a phase's request latencies come to: the count and nearest-rank percentiles, in milliseconds.</summary>
internal sealed record Latencies(int Count, double P50, double P99, double Max)
{
    public static Latencies Of(IReadOnlyCollection<double> milliseconds)
    {
        List<double> values = [.. milliseconds];
        return new Latencies(values.Count, ColdLoadPairs.Percentile(values, 0.5), ColdLoadPairs.Percentile(values, 0.99), values.Count == 0 ? double.NaN : values.Max());
    }
}
