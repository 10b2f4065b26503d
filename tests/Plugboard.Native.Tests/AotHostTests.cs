using System.Diagnostics;
using System.Reflection;

namespace Plugboard.Native.Tests;

/// <summary>The Notebook host published with NativeAOT loads the native samples and refuses managed plugins with PB0411.</summary>
public sealed class AotHostTests
{
    private static readonly string HostPath = Path.Combine(
        typeof(AotHostTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "AotHostDir").Value!,
        OperatingSystem.IsWindows() ? "Notebook.AotHost.exe" : "Notebook.AotHost");

    [Fact]
    public void The_aot_host_runs_the_c_rust_and_aot_sample_plugins()
    {
        (int exit, string output) = RunHost($"--plugins \"{TestPaths.SamplePlugins}\"");
        Assert.True(exit == 0, output);
        Assert.Contains("NativeAOT: True", output, StringComparison.Ordinal);
        Assert.Contains("c-wordcount #1: c-wordcount: 6 words, tagged 'short'", output, StringComparison.Ordinal);
        Assert.Contains("rust-keywords #2: rust-keywords: top word 'plugins'", output, StringComparison.Ordinal);
        Assert.Contains("aot-summary #1: aot-summary: 'Groceries' has 32 chars, follow-up note #3 added", output, StringComparison.Ordinal);
        Assert.Contains("note #1 'Groceries' by user: tags [aot-seen, short, kw-bread] metrics [chars=32, unique_words=6, words=6]", output, StringComparison.Ordinal);
        Assert.DoesNotContain("rejected:", output, StringComparison.Ordinal);
        // Managed sample plugins built next to the native ones are listed as skipped (PB0411), not failed.
        int managed = Directory.GetDirectories(TestPaths.SamplePlugins).Count(d => NativePluginLoader.ReadPluginKind(d) == "managed");
        Assert.Equal(managed, output.Split('\n').Count(line => line.StartsWith("skipped: PB0411 ", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_aot_host_refuses_a_managed_plugin_with_PB0411_and_keeps_the_native_ones()
    {
        string managed = TestPaths.NewTempDirectory("managed-plugin");
        File.WriteAllText(Path.Combine(managed, "plugin.json"), """{"id":"word-stats","version":"1.0.0","kind":"managed"}""");
        (int exit, string output) = RunHost($"--plugin \"{managed}\" --plugin \"{TestPaths.SamplePlugin("c-wordcount")}\"");
        Assert.Equal(2, exit);
        Assert.Contains("rejected: PB0411 plugin 'word-stats'", output, StringComparison.Ordinal);
        Assert.Contains("published with NativeAOT", output, StringComparison.Ordinal);
        Assert.Contains("cannot run .NET plugin assemblies", output, StringComparison.Ordinal);
        Assert.Contains("c-wordcount #1: c-wordcount: 6 words", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Exit_called_by_a_plugin_ends_the_host_process_with_the_plugins_status_and_no_message()
    {
        (int exit, string output) = RunHost($"--plugin \"{TestPaths.TestPlugin("exits-in-invoke")}\"");
        Assert.Equal(0, exit);
        Assert.Contains("1 plugin folder(s)", output, StringComparison.Ordinal);
        Assert.DoesNotContain("exits-in-invoke #", output, StringComparison.Ordinal);
        Assert.DoesNotContain("note #1", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_crash_in_native_code_ends_the_host_process()
    {
        (int exit, string output) = RunHost($"--plugin \"{TestPaths.TestPlugin("crashes-in-invoke")}\"");
        Assert.Equal(128 + 11, exit); // killed by SIGSEGV
        Assert.DoesNotContain("crashes-in-invoke #", output, StringComparison.Ordinal);
        Assert.DoesNotContain("note #1", output, StringComparison.Ordinal);
    }

    private static (int Exit, string Output) RunHost(string arguments)
    {
        Assert.True(File.Exists(HostPath), $"The NativeAOT host was not published to {HostPath}; is a native linker (cc) installed?");
        var start = new ProcessStartInfo(HostPath, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using Process process = Process.Start(start)!;
        string stdout = process.StandardOutput.ReadToEnd();
        string stderr = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(60_000), "the host hung");
        return (process.ExitCode, stdout + stderr);
    }
}
