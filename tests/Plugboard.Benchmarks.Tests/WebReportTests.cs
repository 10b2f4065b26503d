using Xunit;

namespace Plugboard.Benchmarks.Tests;

/// <summary>The web benchmarks' arithmetic and verdicts: percentiles, per-round ratios, the load test's targets, the report's rows.</summary>
public class WebReportTests
{
    private static Results Run() =>
        new() { Smoke = false, Started = DateTimeOffset.UnixEpoch, LoadAtStart = "0.10 0.20 0.30", BusyAtStart = 0, LoadAtEnd = "0.10 0.20 0.30", OthersCpuShare = 0.01 };

    private static WebLoadRun Load(long failed = 0, int collected = 20, int succeeded = 20, long requests = 10_000) =>
        new(4, 10, 20, 20, succeeded, requests, failed, failed == 0 ? [] : ["503 busy"], collected, collected,
            new Latencies(6_000, 0.20, 1.50, 9.0), new Latencies(12_000, 0.25, 4.00, 40.0));

    [Fact]
    public void Latencies_are_nearest_rank_percentiles_of_the_phase()
    {
        // 1..100 ms: p50 is the 50th value, p99 the 99th, the maximum the last.
        Latencies l = Latencies.Of([.. Enumerable.Range(1, 100).Select(i => (double)i).Reverse()]);
        Assert.Equal(new Latencies(100, 50, 99, 100), l);
        Assert.Equal(new Latencies(1, 7, 7, 7), Latencies.Of([7.0]));
        Latencies none = Latencies.Of([]);
        Assert.Equal(0, none.Count);
        Assert.True(double.IsNaN(none.P50) && double.IsNaN(none.P99) && double.IsNaN(none.Max));
    }

    [Fact]
    public void A_request_pair_round_s_ratio_is_its_plugin_time_over_its_host_time_judged_on_nine_rounds_in_ten()
    {
        var met = new WebRequestPairs(2000, [.. Enumerable.Repeat(50.0, 10)], [.. Enumerable.Repeat(52.0, 9), 80.0]);
        Assert.Equal(1.04, met.Ratios[0], 6);
        Assert.Equal(Verdict.Met, ColdLoadPairs.AtMost(met.Ratios, 1.1));

        Results r = Run();
        r.WebRequests.Add(met);
        string report = Report.Write(r);
        Assert.Contains("| request through a plugin endpoint (in pairs) | ≤ 1.1× the same endpoint in the host | 1.04× (1.04–1.04×); 52.00 µs vs 50.00 µs | met |", report, StringComparison.Ordinal);
        Assert.Contains("| the plugin's | 52.00 µs | 1.04× (1.04–1.04×) |", report, StringComparison.Ordinal);

        var missed = new WebRequestPairs(2000, [.. Enumerable.Repeat(50.0, 10)], [.. Enumerable.Repeat(60.0, 10)]);
        Assert.Equal(Verdict.Missed, ColdLoadPairs.AtMost(missed.Ratios, 1.1));
    }

    [Fact]
    public void The_load_test_meets_its_targets_only_with_no_failed_request_and_every_old_version_collected()
    {
        Assert.Equal(Verdict.Met, Load().FailedVerdict);
        Assert.Equal(Verdict.Met, Load().CollectedVerdict);
        Assert.Equal(Verdict.Missed, Load(failed: 1).FailedVerdict);
        // No request at all proves nothing.
        Assert.Equal(Verdict.Missed, Load(requests: 0).FailedVerdict);
        Assert.Equal(Verdict.Missed, Load(collected: 19).CollectedVerdict);
        Assert.Equal(Verdict.Missed, Load(succeeded: 19).CollectedVerdict);

        Results r = Run();
        r.WebLoad.Add(Load(failed: 1));
        string report = Report.Write(r);
        Assert.Contains("| web load: 4 clients, 20 s, 20 reloads | 0 failed requests | 1 of 10,000 | **missed** |", report, StringComparison.Ordinal);
        Assert.Contains("| web load: 4 clients, 20 s, 20 reloads | every old version collected | 20/20 (weak references + GC loop); 20/20 reloads succeeded | met |", report, StringComparison.Ordinal);
        Assert.Contains("| web load: 4 clients, 20 s, 20 reloads | none: p50/p99 during reloads vs without, reported | p50 0.25 vs 0.20 ms, p99 4.00 vs 1.50 ms | n/a |", report, StringComparison.Ordinal);
        Assert.Contains("| during 20 reloads | 12,000 | 0.25 ms | 4.00 ms | 40.0 ms |", report, StringComparison.Ordinal);
        Assert.Contains("Failed requests: 1 of 10,000 (first: 503 busy)", report, StringComparison.Ordinal);
    }
}
