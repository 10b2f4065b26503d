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
        Assert.Contains("shut down: c-wordcount (its library was unloaded: it declares itself unloadable)", run.Output, StringComparison.Ordinal);
        Assert.Contains("shut down: rust-keywords (its library stays mapped: it does not declare itself unloadable)", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("shut down: c-wordcount (its library stays mapped", run.Output, StringComparison.Ordinal);
    }
}
