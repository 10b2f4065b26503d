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

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Verify_strict_and_allow_apply_the_trust_policy_with_PB0602()
    {
        using var plugins = new PluginFolder("IdentityPlugin", "DriftPlugin");
        string dll = plugins.PathOf("IdentityPlugin", "IdentityPlugin.dll");
        File.SetUnixFileMode(dll, File.GetUnixFileMode(dll) | UnixFileMode.OtherWrite);

        CliResult strict = CliProcess.Run("verify", plugins.Root, "--strict", "--json");
        CliResult allowed = CliProcess.Run("verify", plugins.Root, "--allow", plugins.Root, "--json");
        CliResult elsewhere = CliProcess.Run("verify", plugins.Root, "--allow", "/opt/approved-plugins", "--json");

        Assert.True(strict.ExitCode == 1, strict.ToString());
        JsonElement identity = strict.Json().GetProperty("plugins").EnumerateArray().Single(p => p.GetProperty("id").GetString() == "IdentityPlugin");
        JsonElement problem = Assert.Single(identity.GetProperty("problems").EnumerateArray());
        Assert.Equal("PB0602", problem.GetProperty("code").GetString());
        Assert.Contains("can be written by users other than its owner", problem.GetProperty("cause").GetString(), StringComparison.Ordinal);
        Assert.True(allowed.ExitCode == 0, allowed.ToString());
        Assert.True(elsewhere.ExitCode == 1, elsewhere.ToString());
        Assert.All(elsewhere.Json().GetProperty("plugins").EnumerateArray(),
            p => Assert.Contains("not under an allowed folder (/opt/approved-plugins)", p.GetProperty("verdict").GetString(), StringComparison.Ordinal));
    }
}
