using Xunit;

namespace Plugboard.Benchmarks.Tests;

[Collection(Plugboard.TestSupport.GlobalMeasurement.Name)]
public class HarnessSmokeTests
{
    [Fact]
    public async Task Smoke_run_exercises_every_scenario_and_writes_the_report()
    {
        string output = Path.Combine(Path.GetTempPath(), "plugboard-bench-smoke", Guid.NewGuid().ToString("N"), "benchmarks.md");
        HarnessOptions options = HarnessOptions.Parse(["--smoke", "--out", output]);

        Results results = await Harness.RunAsync(options);

        DiscoveryCheck check = Assert.Single(results.DiscoveryChecks);
        Assert.Equal(3, check.Compatible);
        Assert.Equal(0, check.PluginAssembliesLoaded);
        Assert.Equal(0, check.FilesLeftOpen);
        foreach (Type type in Measured.Classes)
        {
            Assert.Contains(results.Rows, r => r.Class == type.Name && r.MedianNanoseconds > 0);
        }
        NativeCallPairs native = Assert.Single(results.NativePairs);
        Assert.Equal(2, native.InvokeAdds.Count);
        Assert.All(native.Invoke, ns => Assert.True(ns > 0));
        Assert.All(results.Cycles, c => Assert.Equal(c.Cycles, c.Collected));
        Assert.All(results.Reloads, r =>
        {
            Assert.Equal(r.Reloads, r.Observed);
            Assert.Equal(0, r.FailedCalls);
        });
        Assert.Equal(3, results.Scale.Count);
        Assert.All(results.Scale, s => Assert.Equal(3, s.Collected));
        // The web benchmarks over real Kestrel: both endpoints answered, no request failed, every replaced version went.
        WebRequestPairs pairs = Assert.Single(results.WebRequests);
        Assert.Equal(2, pairs.Ratios.Count);
        Assert.All(pairs.Ratios, ratio => Assert.True(ratio > 0));
        WebLoadRun load = Assert.Single(results.WebLoad);
        Assert.True(load.Requests > 0 && load.Failed == 0, string.Join("; ", load.FailureSamples));
        Assert.Equal((load.Reloads, load.Reloads), (load.ReloadsSucceeded, load.OldCollected));
        string report = await File.ReadAllTextAsync(output);
        Assert.Contains("## Web plugins (ASP.NET Core, Kestrel on 127.0.0.1)", report, StringComparison.Ordinal);
        Assert.Contains("SMOKE RUN", report, StringComparison.Ordinal);
        Assert.Contains("## Targets", report, StringComparison.Ordinal);
        Directory.Delete(Path.GetDirectoryName(output)!, recursive: true);
    }
}
