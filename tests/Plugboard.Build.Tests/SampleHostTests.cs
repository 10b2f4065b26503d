using System.Globalization;
using System.Text.RegularExpressions;

namespace Plugboard.Build.Tests;

/// <summary>The Notebook sample host, run as the README's first command runs it, says only what is true.</summary>
public sealed class SampleHostTests
{
    [Fact]
    public void The_sample_host_says_a_native_library_stays_mapped_only_for_plugins_that_are_not_unloadable()
    {
        string host = Repo.Path($"samples/Notebook.Host/bin/{Repo.Configuration}/net10.0/Notebook.Host.dll");

        ProcessResult run = DotNet.Run("dotnet", [host], workingDirectory: Repo.Root);

        Assert.True(run.ExitCode == 0, run.ToString());
        // c-wordcount declares "unloadable": true; the Rust SDK never does (std's thread-local destructors).
        string Unloaded(string id) => run.Output.Split('\n').Single(l => l.StartsWith($"unloaded: {id}:", StringComparison.Ordinal));
        Assert.DoesNotContain("stays mapped", Unloaded("c-wordcount"), StringComparison.Ordinal);
        Assert.Contains("its native library stays mapped: it does not declare itself unloadable", Unloaded("rust-keywords"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_sample_host_runs_the_proofreader_out_of_process_and_survives_its_crash()
    {
        string host = Repo.Path($"samples/Notebook.Host/bin/{Repo.Configuration}/net10.0/Notebook.Host.dll");

        ProcessResult run = DotNet.Run("dotnet", [host], workingDirectory: Repo.Root);

        Assert.True(run.ExitCode == 0, run.ToString());
        string[] lines = run.Output.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        string Line(string start) => lines.Single(l => l.StartsWith(start, StringComparison.Ordinal));
        int Pid(string line) => int.Parse(Regex.Match(line, @"\(pid (\d+)\)").Groups[1].Value, CultureInfo.InvariantCulture);

        int hostPid = int.Parse(Regex.Match(Line("isolated: Proofreader runs OutOfProcess"), @"host pid (\d+)").Groups[1].Value, CultureInfo.InvariantCulture);
        int worker = Pid(Line("  #1: 0 doubled words (pid "));
        Assert.NotEqual(hostPid, worker);
        // The crash: the call got the typed error naming the plugin, its worker and how it ended, with its last words.
        string crash = Line("  crash note: contained: PB0705 plugin 'Proofreader'");
        Assert.Contains($"The process of plugin 'Proofreader' (pid {worker}) ended with signal 6 (SIGABRT) while Check was running.", crash, StringComparison.Ordinal);
        Assert.Contains("Its last words on standard error: \"Process terminated. the proofreader was asked to crash by note 'Crash test'\"", crash, StringComparison.Ordinal);
        // The host kept running, an in-process plugin kept serving, and the next call reached a restarted worker.
        Assert.Equal("  the others keep serving: WordStats on #1: 16 words, 12 unique", Line("  the others keep serving: WordStats"));
        int restarted = Pid(Line("  after the restart, #1: 0 doubled words (pid "));
        Assert.NotEqual(worker, restarted);
        Assert.NotEqual(hostPid, restarted);

        // Beside it a native one, the C word count: its NULL dereference ends its worker with SIGSEGV, not the host.
        Assert.Equal("isolated: c-wordcount (Native) runs OutOfProcess", Line("isolated: c-wordcount"));
        int nativeWorker = Pid(Line("  #1: 16 words (pid "));
        Assert.NotEqual(hostPid, nativeWorker);
        string nativeCrash = Line("  crash note: contained: PB0705 plugin 'c-wordcount'");
        Assert.Contains($"The process of plugin 'c-wordcount' (pid {nativeWorker}) ended with signal 11 (SIGSEGV) while Check was running.", nativeCrash, StringComparison.Ordinal);
        // The managed isolated plugin's worker is the one that answered after its own restart: the native crash did not touch it.
        Assert.Equal($"  the others keep serving: Proofreader on #1: 0 doubled words (pid {restarted})", Line("  the others keep serving: Proofreader"));
        int nativeRestarted = Pid(Line("  after the restart, #1: 16 words (pid "));
        Assert.NotEqual(nativeWorker, nativeRestarted);
        Assert.NotEqual(hostPid, nativeRestarted);
        Assert.StartsWith("unloaded (out of process): Proofreader: collected", Line("unloaded (out of process): Proofreader"), StringComparison.Ordinal);
        Assert.StartsWith("unloaded (out of process): c-wordcount: collected", Line("unloaded (out of process): c-wordcount"), StringComparison.Ordinal);
    }
}
