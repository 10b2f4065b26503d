namespace Plugboard.Cli.Tests;

/// <summary>lock writes the SHA-256 of every plugin file; verify --locked names every changed, added or removed file.</summary>
public sealed class LockCommandTests
{
    [Fact]
    public void A_tampered_added_or_removed_file_fails_verify_locked_with_PB0601_naming_the_file()
    {
        using var plugins = new PluginFolder("IdentityPlugin", "DriftPlugin");
        CliResult locked = CliProcess.Run("lock", plugins.Root, "--json");
        Assert.True(locked.ExitCode == 0, locked.ToString());
        JsonElement lockJson = locked.Json();
        string lockFile = lockJson.GetProperty("file").GetString()!;
        Assert.Equal(Path.Combine(plugins.Root, "plugboard.lock.json"), lockFile);
        Assert.Matches("^[0-9a-f]{64}$", lockJson.GetProperty("plugins").GetProperty("IdentityPlugin").GetProperty("IdentityPlugin.dll").GetString());

        CliResult clean = CliProcess.Run("verify", plugins.Root, "--locked", "--json");
        Assert.True(clean.ExitCode == 0, clean.ToString());
        Assert.True(clean.Json().GetProperty("lock").GetProperty("ok").GetBoolean());

        string dll = plugins.PathOf("IdentityPlugin", "IdentityPlugin.dll");
        byte[] bytes = File.ReadAllBytes(dll);
        bytes[bytes.Length / 2] ^= 0x01;
        File.WriteAllBytes(dll, bytes);
        CliResult tampered = CliProcess.Run("verify", plugins.Root, "--locked", "--json");

        Assert.True(tampered.ExitCode == 1, tampered.ToString());
        JsonElement problem = Assert.Single(tampered.Json().GetProperty("lock").GetProperty("problems").EnumerateArray());
        Assert.Equal("PB0601", problem.GetProperty("code").GetString());
        Assert.Equal("IdentityPlugin", problem.GetProperty("plugin").GetString());
        Assert.Equal(dll, problem.GetProperty("path").GetString());
        Assert.Contains("changed since", problem.GetProperty("cause").GetString(), StringComparison.Ordinal);

        File.WriteAllText(plugins.PathOf("DriftPlugin", "extra.dll"), "not locked");
        File.Delete(plugins.PathOf("DriftPlugin", "DriftPlugin.pdb"));
        CliResult human = CliProcess.Run("verify", plugins.Root, "--locked");
        Assert.True(human.ExitCode == 1, human.ToString());
        Assert.Contains("3 file(s) differ", human.Stdout, StringComparison.Ordinal);
        Directory.Delete(plugins.PathOf("DriftPlugin", ""), recursive: true);
        CliResult removed = CliProcess.Run("verify", plugins.Root, "--locked", "--json");
        Assert.Contains(removed.Json().GetProperty("lock").GetProperty("problems").EnumerateArray(),
            p => p.GetProperty("plugin").GetString() == "DriftPlugin" && p.GetProperty("cause").GetString()!.Contains("missing", StringComparison.Ordinal));
        Assert.Contains("extra.dll", human.Stdout, StringComparison.Ordinal);
        Assert.Contains("DriftPlugin.pdb", human.Stdout, StringComparison.Ordinal);
        Assert.Contains("PB0601", human.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_locked_without_a_lock_file_exits_3()
    {
        using var plugins = new PluginFolder("IdentityPlugin");
        CliResult result = CliProcess.Run("verify", plugins.Root, "--locked");
        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains("PB0601", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("plugboard lock", result.Stderr, StringComparison.Ordinal);
    }
}
