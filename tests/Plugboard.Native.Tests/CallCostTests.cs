using System.Diagnostics;
using Xunit.Abstractions;

namespace Plugboard.Native.Tests;

/// <summary>
/// Measures (and prints) the bare cost of an invoke into C, Rust and NativeAOT plugins; asserts only sanity. It times
/// calls, so it runs alone (<see cref="GlobalMeasurement"/>), which also keeps it apart from the other sample-plugin tests.
/// </summary>
[Collection(GlobalMeasurement.Name)]
public sealed class CallCostTests(ITestOutputHelper output)
{
    [Fact]
    public void Measures_the_call_cost_of_each_language_without_allocating()
    {
        string[] plugins = ["c-wordcount", "rust-keywords", "aot-summary"];
        var results = new Dictionary<string, double>();
        foreach (string name in plugins)
        {
            using NativePlugin plugin = TestLoaders.LoadSample(TestPaths.SamplePlugin(name));
            byte[] buffer = new byte[16];
            for (int i = 0; i < 20_000; i++)
            {
                plugin.Invoke("ping"u8, default, buffer, 0);
            }
            const int calls = 200_000;
            long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < calls; i++)
            {
                plugin.Invoke("ping"u8, default, buffer, 0);
            }
            TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
            Assert.Equal("pong"u8.ToArray(), buffer[..4]);
            Assert.Equal(0, allocated);
            results[name] = elapsed.TotalNanoseconds / calls;
        }
        foreach ((string name, double ns) in results)
        {
            output.WriteLine($"{name,-14} {ns,8:F1} ns/call ({ns / results["c-wordcount"]:F1}x C)");
        }
        Assert.All(results.Values, ns => Assert.True(ns < 100_000, $"{ns} ns per call is not a plain call"));
    }
}
