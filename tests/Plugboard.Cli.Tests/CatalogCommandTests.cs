namespace Plugboard.Cli.Tests;

/// <summary>list, inspect and verify, run as a process against the real test plugins.</summary>
public sealed class CatalogCommandTests
{
    [Fact]
    public void List_without_a_host_API_reports_metadata_and_marks_compatibility_not_checked()
    {
        using var plugins = new PluginFolder("IdentityPlugin", "NewerMinorPlugin");
        CliResult result = CliProcess.Run("list", plugins.Root, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        JsonElement json = result.Json();
        Assert.False(json.GetProperty("hostApiChecked").GetBoolean());
        JsonElement identity = Plugin(json, "IdentityPlugin");
        Assert.Equal("2.1.0", identity.GetProperty("version").GetString());
        Assert.Equal("managed", identity.GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.Null, identity.GetProperty("compatible").ValueKind);
        Assert.Equal("not checked: pass --host-api", identity.GetProperty("verdict").GetString());
        Assert.Equal(2, json.GetProperty("summary").GetProperty("notChecked").GetInt32());
    }

    [Fact]
    public void List_with_the_host_API_names_incompatible_plugins_with_their_typed_errors_and_exits_1()
    {
        using var plugins = new PluginFolder("IdentityPlugin", "NewerMinorPlugin", "DriftPlugin");
        CliResult result = CliProcess.Run("list", plugins.Root, "--host-api", CliProcess.TestApi, "--contract", "TestApi.ILedgerPlugin", "--json");

        Assert.True(result.ExitCode == 1, result.ToString());
        JsonElement json = result.Json();
        Assert.True(Plugin(json, "IdentityPlugin").GetProperty("compatible").GetBoolean());
        JsonElement newer = Plugin(json, "NewerMinorPlugin");
        Assert.False(newer.GetProperty("compatible").GetBoolean());
        JsonElement problem = newer.GetProperty("problems")[0];
        Assert.Equal("PB0201", problem.GetProperty("code").GetString());
        Assert.Equal("HostApiVersionIncompatible", problem.GetProperty("name").GetString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("fix").GetString()));
        Assert.Equal("PB0202", Plugin(json, "DriftPlugin").GetProperty("problems")[0].GetProperty("code").GetString());
    }

    [Fact]
    public void Human_output_is_a_table_with_the_verdicts()
    {
        using var plugins = new PluginFolder("IdentityPlugin", "NewerMinorPlugin");
        CliResult result = CliProcess.Run("list", plugins.Root, "--host-api", CliProcess.TestApi);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("IdentityPlugin", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("compatible", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("PB0201", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Scanning", result.Stderr, StringComparison.Ordinal); // progress goes to stderr
        Assert.DoesNotContain("   at ", result.Stdout + result.Stderr, StringComparison.Ordinal); // never a stack trace
    }

    [Fact]
    public void Inspect_shows_entry_points_references_and_the_host_API_members_used()
    {
        using var plugins = new PluginFolder("IdentityPlugin");
        CliResult result = CliProcess.Run("inspect", Path.Combine(plugins.Root, "IdentityPlugin"), "--host-api", CliProcess.TestApi, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        JsonElement json = result.Json();
        Assert.Equal(["IdentityPlugin.IdentityPlugin"], json.GetProperty("entryTypes").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains(json.GetProperty("references").EnumerateArray(), r => r.GetProperty("name").GetString() == "TestApi" && r.GetProperty("resolution").GetString() == "HostApi");
        Assert.Contains("TestApi.Journal", json.GetProperty("hostApiTypes").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains(json.GetProperty("hostApiMembers").EnumerateArray(), m => m.GetString()!.Contains("TestApi.Journal.Write(string)", StringComparison.Ordinal));
        Assert.Equal(JsonValueKind.Null, json.GetProperty("native").ValueKind);
    }

    [Fact]
    public void Verify_passes_compatible_plugins_and_fails_incompatible_ones_for_CI()
    {
        using var good = new PluginFolder("IdentityPlugin");
        CliResult pass = CliProcess.Run("verify", good.Root, "--host-api", CliProcess.TestApi, "--contract", "TestApi.ILedgerPlugin", "--json");
        Assert.True(pass.ExitCode == 0, pass.ToString());
        Assert.True(pass.Json().GetProperty("ok").GetBoolean());

        good.Add("DriftPlugin");
        CliResult fail = CliProcess.Run("verify", good.Root, "--host-api", CliProcess.TestApi, "--contract", "TestApi.ILedgerPlugin");
        Assert.True(fail.ExitCode == 1, fail.ToString());
        Assert.Contains("PB0202", fail.Stdout, StringComparison.Ordinal);
        Assert.Contains("FAILED", fail.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("list")]                                  // missing argument
    [InlineData("list", "x", "--no-such-option")]         // unknown option
    [InlineData("verify", "x")]                           // neither --host-api nor --locked
    [InlineData("run", "x", "--host-api", "a.dll")]       // --contract is required
    [InlineData("frobnicate")]                            // unknown command
    [InlineData()]                                        // no command
    public void Usage_errors_exit_2_with_a_message(params string[] args)
    {
        CliResult result = CliProcess.Run(args);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("error", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Unusable_inputs_exit_3_with_the_fix_and_a_JSON_error()
    {
        string missing = Path.Combine(Path.GetTempPath(), "plugboard-tests", "does-not-exist");
        CliResult folder = CliProcess.Run("list", missing, "--json");
        Assert.True(folder.ExitCode == 3, folder.ToString());
        Assert.Contains("does not exist", folder.Stderr, StringComparison.Ordinal);
        Assert.Equal(3, folder.Json().GetProperty("exitCode").GetInt32());

        using var plugins = new PluginFolder("IdentityPlugin");
        CliResult contract = CliProcess.Run("list", plugins.Root, "--host-api", CliProcess.TestApi, "--contract", "TestApi.Nope");
        Assert.True(contract.ExitCode == 3, contract.ToString());
        Assert.Contains("TestApi.Nope", contract.Stderr, StringComparison.Ordinal);
        Assert.Contains("Fix:", contract.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_exits_0()
    {
        CliResult result = CliProcess.Run("--help");
        Assert.Equal(0, result.ExitCode);
        foreach (string command in new[] { "list", "inspect", "verify", "lock", "run", "watch" })
        {
            Assert.Contains(command, result.Stdout, StringComparison.Ordinal);
        }
    }

    private static JsonElement Plugin(JsonElement json, string id) =>
        json.GetProperty("plugins").EnumerateArray().Single(p => p.GetProperty("id").GetString() == id);
}

/// <summary>inspect on a native plugin reads its manifest and lists the library's exports without loading it.</summary>
public sealed class NativeInspectTests
{
    [Fact]
    public void Inspect_lists_the_ABI_version_and_the_ELF_exports_of_a_native_plugin()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // the stand-in library below is the runtime's own ELF file
        }
        using var plugins = new PluginFolder();
        string folder = Directory.CreateDirectory(Path.Combine(plugins.Root, "NativeDemo")).FullName;
        // Any ELF shared library will do as a stand-in: the runtime's own System.Native.
        File.Copy(Path.Combine(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory(), "libSystem.Native.so"), Path.Combine(folder, "libnativedemo.so"));
        File.WriteAllText(Path.Combine(folder, "plugin.json"),
            """{ "id": "native-demo", "version": "1.0.0", "kind": "native", "native": { "abiMajor": 1, "libraries": { "linux-x64": "libnativedemo.so", "win-x64": "nativedemo.dll" } } }""");

        CliResult result = CliProcess.Run("inspect", folder, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        JsonElement json = result.Json();
        Assert.Equal("native", json.GetProperty("plugin").GetProperty("kind").GetString());
        JsonElement native = json.GetProperty("native");
        Assert.Equal(1, native.GetProperty("abiMajor").GetInt32());
        JsonElement linux = native.GetProperty("libraries").EnumerateArray().Single(l => l.GetProperty("runtimeIdentifier").GetString() == "linux-x64");
        Assert.Equal("ELF64", linux.GetProperty("format").GetString());
        Assert.Contains("SystemNative_Read", linux.GetProperty("exports").EnumerateArray().Select(e => e.GetString()));
        JsonElement windows = native.GetProperty("libraries").EnumerateArray().Single(l => l.GetProperty("runtimeIdentifier").GetString() == "win-x64");
        Assert.False(windows.GetProperty("exists").GetBoolean());
    }
}
