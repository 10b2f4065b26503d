namespace Plugboard.Cli.Tests;

/// <summary>run and watch act as a host of the contract named on the command line.</summary>
public sealed class RunCommandTests
{
    [Fact]
    public void Run_loads_what_it_can_reports_typed_failures_and_proves_the_unload()
    {
        using var plugins = new PluginFolder("IdentityPlugin", "NewerMinorPlugin");
        CliResult result = CliProcess.Run("run", plugins.Root, "--host-api", CliProcess.TestApi, "--contract", "TestApi.ILedgerPlugin", "--json");

        Assert.True(result.ExitCode == 1, result.ToString());
        JsonElement json = result.Json();
        Assert.False(json.GetProperty("ok").GetBoolean());
        JsonElement loaded = Assert.Single(json.GetProperty("loaded").EnumerateArray());
        Assert.Equal("IdentityPlugin", loaded.GetProperty("id").GetString());
        Assert.Equal(["IdentityPlugin.IdentityPlugin"], loaded.GetProperty("instances").EnumerateArray().Select(i => i.GetString()));
        JsonElement failed = Assert.Single(json.GetProperty("failed").EnumerateArray());
        Assert.Equal("PB0201", failed.GetProperty("errors")[0].GetProperty("code").GetString());
        JsonElement unloaded = Assert.Single(json.GetProperty("unloaded").EnumerateArray());
        Assert.True(unloaded.GetProperty("collected").GetBoolean(), result.Stdout);
    }

    [Fact]
    public void Run_names_the_gc_roots_that_keep_a_leaking_plugin_alive_in_text_and_json()
    {
        using var plugins = new PluginFolder("LeakyPlugin");

        CliResult text = CliProcess.Run("run", plugins.Root, "--host-api", CliProcess.TestApi, "--contract", "TestApi.ILedgerPlugin");
        CliResult json = CliProcess.Run("run", plugins.Root, "--host-api", CliProcess.TestApi, "--contract", "TestApi.ILedgerPlugin", "--json");

        Assert.Contains("LeakyPlugin is kept alive by the static field TestApi.HostEvents.Tick (TestApi) [staticField]", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("    -> System.EventHandler<System.String>", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("    -> LeakyPlugin.Leaky", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("'leaky-plugin-th'), running the plugin's code", text.Stdout, StringComparison.Ordinal);
        JsonElement unloaded = Assert.Single(json.Json().GetProperty("unloaded").EnumerateArray());
        Assert.False(unloaded.GetProperty("collected").GetBoolean());
        JsonElement[] roots = [.. unloaded.GetProperty("roots").EnumerateArray()];
        JsonElement field = Assert.Single(roots, r => r.GetProperty("kind").GetString() == "staticField");
        Assert.Equal("static field TestApi.HostEvents.Tick (TestApi)", field.GetProperty("root").GetString());
        Assert.Equal(["System.EventHandler<System.String>", "LeakyPlugin.Leaky"], field.GetProperty("chain").EnumerateArray().Select(t => t.GetString()));
        Assert.Contains(roots, r => r.GetProperty("kind").GetString() == "threadStack");
        Assert.Equal(JsonValueKind.Null, unloaded.GetProperty("diagnosis").ValueKind);
    }

    [Fact]
    public void Run_with_out_of_process_runs_that_plugin_in_a_worker_and_reports_it_in_text_and_json()
    {
        using var plugins = new PluginFolder("CrashingPlugin");
        string api = PluginFolder.Metadata("IsolationApi");

        CliResult json = CliProcess.Run("run", plugins.Root, "--host-api", api, "--contract", "IsolationApi.IProbe", "--out-of-process", "CrashingPlugin", "--json");
        CliResult text = CliProcess.Run("run", plugins.Root, "--host-api", api, "--contract", "IsolationApi.IProbe", "--out-of-process", "*");
        CliResult inProcess = CliProcess.Run("run", plugins.Root, "--host-api", api, "--contract", "IsolationApi.IProbe", "--json");

        Assert.True(json.ExitCode == 0, json.ToString());
        JsonElement loaded = Assert.Single(json.Json().GetProperty("loaded").EnumerateArray());
        Assert.Equal("OutOfProcess", loaded.GetProperty("isolation").GetString());
        Assert.StartsWith("(in worker process ", Assert.Single(loaded.GetProperty("instances").EnumerateArray()).GetString(), StringComparison.Ordinal);
        Assert.True(Assert.Single(json.Json().GetProperty("unloaded").EnumerateArray()).GetProperty("collected").GetBoolean(), json.Stdout);
        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains("out of process", text.Stdout, StringComparison.Ordinal);
        Assert.Equal("InProcess", Assert.Single(inProcess.Json().GetProperty("loaded").EnumerateArray()).GetProperty("isolation").GetString());
    }

    [Fact]
    public void Run_of_compatible_plugins_exits_0_with_a_human_report()
    {
        using var plugins = new PluginFolder("IdentityPlugin");
        CliResult result = CliProcess.Run("run", plugins.Root, "--host-api", CliProcess.TestApi, "--contract", "TestApi.ILedgerPlugin");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("1 loaded, 0 failed, 1/1 unloaded and collected", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_loads_native_plugins_through_the_native_loader_and_inspect_lists_their_exports()
    {
        string built = Path.Combine(PluginFolder.Metadata("NativeTestPluginsDirectory"), "echo-unloadable");
        if (!Directory.Exists(built))
        {
            return; // no C compiler on this machine: the build skipped the C plugin with a message
        }
        using var plugins = new PluginFolder("IdentityPlugin");
        string folder = Path.Combine(plugins.Root, "echo-unloadable");
        Directory.CreateDirectory(folder);
        foreach (string file in Directory.GetFiles(built))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        CliResult run = CliProcess.Run("run", plugins.Root, "--host-api", CliProcess.TestApi, "--contract", "TestApi.ILedgerPlugin", "--json");
        Assert.True(run.ExitCode == 0, run.ToString());
        JsonElement native = Assert.Single(run.Json().GetProperty("native").EnumerateArray());
        Assert.Equal("echo-unloadable", native.GetProperty("id").GetString());
        Assert.True(native.GetProperty("unloaded").GetBoolean());
        Assert.Single(run.Json().GetProperty("loaded").EnumerateArray());

        CliResult inspect = CliProcess.Run("inspect", folder, "--json");
        Assert.True(inspect.ExitCode == 0, inspect.ToString());
        JsonElement library = inspect.Json().GetProperty("native").GetProperty("libraries").EnumerateArray()
            .Single(l => l.GetProperty("exists").GetBoolean());
        Assert.Contains("plugboard_entry_v1", library.GetProperty("exports").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Watch_prints_load_and_reload_events_as_JSON_lines()
    {
        using var plugins = new PluginFolder("ReloadablePlugin");
        var watching = new ManualResetEventSlim();
        var reloaded = new ManualResetEventSlim();
        var changer = Task.CompletedTask;
        CliResult result = CliProcess.RunProgram("dotnet",
            [CliProcess.Assembly, "watch", plugins.Root, "--host-api", CliProcess.TestApi, "--contract", "TestApi.ILedgerPlugin", "--json", "--debounce", "100", "--duration", "12"],
            TimeSpan.FromSeconds(60),
            line =>
            {
                // The watcher is running once the tool says so on stderr: only then is a change seen.
                if (line.StartsWith("Watching", StringComparison.Ordinal) && !watching.IsSet)
                {
                    watching.Set();
                    changer = Task.Run(() => plugins.Overwrite("ReloadablePlugin", "ReloadablePluginV2"));
                }
                if (line.Contains("\"event\":\"reloaded\"", StringComparison.Ordinal))
                {
                    reloaded.Set();
                }
            });

        await changer;
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(reloaded.IsSet, result.ToString());
        List<JsonElement> events = [.. result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone())];
        Assert.Equal("loaded", events[0].GetProperty("event").GetString());
        JsonElement reload = events.First(e => e.GetProperty("event").GetString() == "reloaded");
        Assert.Equal(("1.0.0", "2.0.0"), (reload.GetProperty("previousVersion").GetString(), reload.GetProperty("version").GetString()));
        Assert.True(reload.GetProperty("unload").GetProperty("collected").GetBoolean());
        Assert.Equal("unloaded", events[^1].GetProperty("event").GetString());
    }
}
