using System.Diagnostics;

namespace Plugboard.Isolation.Tests;

/// <summary>Workers never outlive their host, even one killed with SIGKILL (no code of it runs at its end).</summary>
[Collection(GlobalMeasurement.Name)] // a wall-clock bound (1 s), measured while nothing else in this process runs
public sealed class OrphanTests
{
    [Fact]
    public async Task No_worker_survives_a_host_killed_with_SIGKILL_for_more_than_a_second()
    {
        using var folder = new PluginFolder("CrashingPlugin", "SteadyPlugin");
        var start = new ProcessStartInfo(WorkerProcess.MuxerPath, [PluginFolder.Metadata("IsolationTestHost"), folder.Root]) { RedirectStandardOutput = true, UseShellExecute = false };
        using Process host = Process.Start(start)!;
        var workers = new List<int>();
        try
        {
            using var read = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            while (await host.StandardOutput.ReadLineAsync(read.Token) is string line && line != "ready")
            {
                Assert.False(line.StartsWith("failed", StringComparison.Ordinal), line);
                workers.Add(int.Parse(line.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture));
            }
            Assert.Equal(2, workers.Count);
            Assert.All(workers, w => Assert.False(CallTests.ProcessEnded(w)));
        }
        finally
        {
            host.Kill(); // SIGKILL
        }
        await host.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));

        var clock = Stopwatch.StartNew();
        bool allEnded = await SupervisionTests.Until(() => workers.All(CallTests.ProcessEnded), seconds: 1);
        Assert.True(allEnded, $"workers {string.Join(", ", workers.Where(w => !CallTests.ProcessEnded(w)))} still ran {clock.ElapsedMilliseconds} ms after their host was killed");
    }
}
