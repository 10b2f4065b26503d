using Plugboard.Tools;

namespace Plugboard.Tests;

/// <summary>Tools check plugins against the host API's files, with the same verdicts as a running host.</summary>
public sealed class HostApiFilesTests
{
    [Theory]
    [InlineData("TestApi.ILedgerPlugin")]
    [InlineData(null)]
    public void Checking_against_API_files_gives_the_same_verdicts_as_the_running_host(string? contract)
    {
        using var plugins = new PluginFolder("IdentityPlugin", "NewerMinorPlugin", "DriftPlugin", "NoEntryPlugin", "TypeConverterPlugin");
        var offline = new HostApiFiles([typeof(Ledger).Assembly.Location], contract);
        var running = new PluginHost<ILedgerPlugin>();

        PluginCatalog fromFiles = offline.Discover(plugins.Root);
        PluginCatalog fromHost = running.Discover(plugins.Root);

        Assert.Equal(fromHost.Entries.Select(Summary), fromFiles.Entries.Select(Summary));
        Assert.Equal(["IdentityPlugin.IdentityPlugin"], fromFiles.Find("IdentityPlugin")!.EntryTypes);
        Assert.Equal(PluginErrorCode.HostApiVersionIncompatible, fromFiles.Find("NewerMinorPlugin")!.Problems[0].Code);
    }

    [Fact]
    public void An_unknown_contract_type_is_refused()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => new HostApiFiles([typeof(Ledger).Assembly.Location], "TestApi.Nope"));
        Assert.Contains("No host API assembly defines the contract type 'TestApi.Nope'.", error.Message, StringComparison.Ordinal);
    }

    private static string Summary(PluginCatalogEntry entry) =>
        $"{entry.Id}|{string.Join(",", entry.Problems.Select(p => p.Code))}|{string.Join(",", entry.EntryTypes)}|{string.Join(",", entry.References.Select(r => $"{r.Name}:{r.Resolution}"))}";
}
