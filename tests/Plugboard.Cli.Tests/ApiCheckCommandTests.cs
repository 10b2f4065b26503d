namespace Plugboard.Cli.Tests;

/// <summary>api-check, run as a process: a host API author learns what a new build breaks before shipping it.</summary>
public sealed class ApiCheckCommandTests
{
    private static string TestApiNext => PluginFolder.Metadata("TestApiNext");

    [Fact]
    public void A_build_that_only_adds_members_breaks_nothing_and_exits_0()
    {
        using var plugins = new PluginFolder("IdentityPlugin", "DriftPlugin");
        CliResult result = CliProcess.Run("api-check", "--old", CliProcess.TestApi, "--new", TestApiNext, "--plugins", plugins.Root, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        JsonElement json = result.Json();
        Assert.True(json.GetProperty("ok").GetBoolean());
        Assert.Equal(0, json.GetProperty("breaks").GetArrayLength());
        Assert.Equal(0, json.GetProperty("brokenPlugins").GetArrayLength());
    }

    [Fact]
    public void A_build_that_removes_a_type_names_the_change_and_the_plugins_it_breaks_by_member()
    {
        // Going from 1.3 back to 1.2 removes TestApi.LedgerArchive, which NewerMinorPlugin (built against 1.3) calls.
        using var plugins = new PluginFolder("IdentityPlugin", "NewerMinorPlugin");
        CliResult result = CliProcess.Run("api-check", "--old", TestApiNext, "--new", CliProcess.TestApi, "--plugins", plugins.Root, "--json");

        Assert.True(result.ExitCode == 1, result.ToString());
        JsonElement json = result.Json();
        Assert.False(json.GetProperty("ok").GetBoolean());
        JsonElement change = Assert.Single(json.GetProperty("breaks").EnumerateArray(), b => b.GetProperty("type").GetString() == "TestApi.LedgerArchive");
        Assert.Equal("the type was removed (or renamed, or moved without [TypeForwardedTo])", change.GetProperty("reason").GetString());
        JsonElement broken = Assert.Single(json.GetProperty("brokenPlugins").EnumerateArray());
        Assert.Equal("NewerMinorPlugin", broken.GetProperty("id").GetString());
        JsonElement[] problems = [.. broken.GetProperty("problems").EnumerateArray()];
        Assert.Contains(problems, p => p.GetProperty("code").GetString() == "PB0202"
            && p.GetProperty("message").GetString()!.Contains("int TestApi.LedgerArchive.Archive(TestApi.Ledger)", StringComparison.Ordinal));
    }

    [Fact]
    public void Human_output_lists_the_breaking_changes()
    {
        CliResult result = CliProcess.Run("api-check", "--old", TestApiNext, "--new", CliProcess.TestApi);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("TestApi.LedgerArchive: the type was removed", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_API_file_is_an_input_error()
    {
        CliResult result = CliProcess.Run("api-check", "--old", "/nonexistent/Api.dll", "--new", CliProcess.TestApi);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("The assembly '/nonexistent/Api.dll' does not exist.", result.Stderr, StringComparison.Ordinal);
    }
}
