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
}
