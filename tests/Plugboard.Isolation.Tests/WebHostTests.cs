using System.Diagnostics;

namespace Plugboard.Isolation.Tests;

/// <summary>
/// A host on the ASP.NET Core shared framework (every web application) runs plugins out of process like a console
/// host: its worker runs on the same frameworks as the host, so the assemblies the host gets from a framework (not
/// from its folder) are there for the worker too.
/// </summary>
public sealed class WebHostTests
{
    [Fact]
    public async Task A_host_on_the_ASP_NET_Core_shared_framework_runs_its_plugins_out_of_process()
    {
        using var folder = new PluginFolder("CrashingPlugin", "SteadyPlugin");
        var start = new ProcessStartInfo(WorkerProcess.MuxerPath, [PluginFolder.Metadata("IsolationTestHost"), folder.Root, "--once"])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using Process host = Process.Start(start)!;
        var lines = new List<string>();
        try
        {
            using var read = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            while (await host.StandardOutput.ReadLineAsync(read.Token) is string line && line != "ready")
            {
                lines.Add(line);
            }
            await host.WaitForExitAsync(read.Token);
        }
        finally
        {
            if (!host.HasExited)
            {
                host.Kill();
            }
        }
        Assert.DoesNotContain(lines, l => l.StartsWith("failed", StringComparison.Ordinal));
        Assert.Equal(2, lines.Count(l => l.StartsWith("worker ", StringComparison.Ordinal) && l.EndsWith(": from a web host", StringComparison.Ordinal)));
        Assert.Equal(0, host.ExitCode);
    }
}
