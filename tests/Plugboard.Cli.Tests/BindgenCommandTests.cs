namespace Plugboard.Cli.Tests;

/// <summary>bindgen, run as a process: a host API author emits the native bindings of the exported interfaces.</summary>
public sealed class BindgenCommandTests
{
    private static string NotebookApi => PluginFolder.Metadata("NotebookApi");

    private static string ShapesApi => PluginFolder.Metadata("ShapesApi");

    private static string OutFolder() => Path.Combine(Path.GetTempPath(), "plugboard-tests", "bindgen-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void Emits_the_C_header_of_the_Notebook_API_and_names_each_interface_with_its_layout_hash()
    {
        string output = OutFolder();
        CliResult result = CliProcess.Run("bindgen", NotebookApi, "--lang", "c", "--out", output);

        Assert.True(result.ExitCode == 0, result.ToString());
        string header = Path.Combine(output, "notebook_api.h");
        Assert.Contains($"Wrote {header}", result.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"notebook\.notes/1 \(Notebook\.Api\.INotebookNotes\): 7 function\(s\), layout hash 0x[0-9a-f]{16}", result.Stdout);
        string text = File.ReadAllText(header);
        Assert.Contains("#define NOTEBOOK_NOTES_V1_ID \"notebook.notes/1\"", text, StringComparison.Ordinal);
        Assert.Contains("    pb_status (*add_tag)(void *ctx, const char *tag, size_t tag_len);", text, StringComparison.Ordinal);
        // What the tool wrote is what a plugin author compiles.
        string include = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(PluginFolder.Metadata("CliProject"))!, "..", "..", "native", "include"));
        CliResult compiled = CliProcess.RunProgram("gcc", ["-std=c11", "-Wall", "-Wextra", "-Werror", "-pedantic", "-fsyntax-only", "-I", include, header]);
        Assert.True(compiled.ExitCode == 0, compiled.ToString());
    }

    [Fact]
    public void Json_output_lists_the_files_and_interfaces_of_the_Rust_module()
    {
        string output = OutFolder();
        CliResult result = CliProcess.Run("bindgen", NotebookApi, "--lang", "rust", "--out", output, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        JsonElement json = result.Json();
        Assert.True(json.GetProperty("ok").GetBoolean());
        Assert.Equal("rust", json.GetProperty("language").GetString());
        Assert.Equal([Path.Combine(output, "notebook_api.rs"), Path.Combine(output, "notebook_api.interfaces.json")], json.GetProperty("files").EnumerateArray().Select(f => f.GetString()));
        // Beside the module: the manifest section a plugin records, the hashes the module itself carries.
        string rust = File.ReadAllText(Path.Combine(output, "notebook_api.rs"));
        using JsonDocument section = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "notebook_api.interfaces.json")));
        foreach (JsonElement hash in section.RootElement.GetProperty("interfaces").GetProperty("notebook.notes/1").EnumerateArray())
        {
            Assert.Contains(hash.GetString()!, rust, StringComparison.Ordinal);
        }
        Assert.Equal(["notebook.processor/1", "notebook.notes/1", "notebook.checker/1", "notebook.processor/2", "notebook.note/1", "notebook.store/1"], json.GetProperty("interfaces").EnumerateArray().Select(i => i.GetProperty("id").GetString()));
        Assert.Contains("pub trait NotebookNotes: Sync {", File.ReadAllText(Path.Combine(output, "notebook_api.rs")), StringComparison.Ordinal);

        CliResult csharp = CliProcess.Run("bindgen", NotebookApi, "--lang", "csharp-aot", "--out", output, "--json");
        Assert.True(csharp.ExitCode == 0, csharp.ToString());
        Assert.Equal("csharp-aot", csharp.Json().GetProperty("language").GetString());
        Assert.Contains("public readonly unsafe struct NotebookNotesClient", File.ReadAllText(Path.Combine(output, "NotebookApi.Native.cs")), StringComparison.Ordinal);

        CliResult host = CliProcess.Run("bindgen", NotebookApi, "--lang", "csharp-host", "--out", output);
        Assert.True(host.ExitCode == 0, host.ToString());
        Assert.Contains("public sealed unsafe class NativeNoteProcessorProxy : global::Notebook.Api.INativeNoteProcessor", File.ReadAllText(Path.Combine(output, "NotebookApi.Proxies.cs")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("c", "samples/Notebook.NativeBridge/Generated/notebook_api.h")]
    [InlineData("c", "samples/Notebook.NativeBridge/Generated/notebook_api.interfaces.json")]
    [InlineData("csharp-aot", "samples/Notebook.NativeBridge/Generated/NotebookApi.Native.cs")]
    [InlineData("rust", "samples/native/rust-keywords/src/notebook_api.rs")]
    public void The_bindings_checked_in_for_the_Notebook_samples_are_what_bindgen_emits_from_Notebook_Api_today(string language, string checkedIn)
    {
        // The sample plugins compile against these files: an edit of Notebook.Api that nobody re-emitted fails here, not
        // later as a layout mismatch at load.
        string output = OutFolder();
        CliResult result = CliProcess.Run("bindgen", NotebookApi, "--lang", language, "--out", output);

        Assert.True(result.ExitCode == 0, result.ToString());
        string repo = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(PluginFolder.Metadata("CliProject"))!, "..", ".."));
        string expected = File.ReadAllText(Path.Combine(output, Path.GetFileName(checkedIn)));
        Assert.True(expected == File.ReadAllText(Path.Combine(repo, checkedIn)),
            $"{checkedIn} is not what `plugboard bindgen {NotebookApi} --lang {language}` emits today: run it with --out {Path.GetDirectoryName(checkedIn)}");
    }

    [Fact]
    public void Unsupported_members_are_errors_naming_them_and_nothing_is_written()
    {
        string output = OutFolder();
        CliResult result = CliProcess.Run("bindgen", PluginFolder.Metadata("BadShapesApi"), "--lang", "c", "--out", output);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("PLUGBOARD010 error: Bad.Api.IEverything.TakeChar(char): parameter 'letter' of type 'char' cannot cross the boundary: char is a UTF-16 code unit", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("PLUGBOARD011 error: Bad.Api.IEverything.Changed: events cannot be exported", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("PLUGBOARD015 warning: Bad.Api.IUndocumented.Touch(): its documentation states no thread rule", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("No bindings written: ", result.Stdout, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));

        CliResult json = CliProcess.Run("bindgen", PluginFolder.Metadata("BadShapesApi"), "--lang", "rust", "--out", output, "--json");
        Assert.Equal(1, json.ExitCode);
        JsonElement document = json.Json();
        Assert.False(document.GetProperty("ok").GetBoolean());
        Assert.Empty(document.GetProperty("files").EnumerateArray());
        Assert.Contains(document.GetProperty("diagnostics").EnumerateArray(), d => d.GetProperty("id").GetString() == "PLUGBOARD010"
            && d.GetProperty("severity").GetString() == "error" && d.GetProperty("member").GetString() == "Bad.Api.IEverything.TakeChar(char)");
    }

    [Fact]
    public void Against_a_baseline_an_incompatible_layout_names_the_first_member_that_differs_and_an_appended_one_passes()
    {
        string output = OutFolder();
        CliResult reordered = CliProcess.Run("bindgen", PluginFolder.Metadata("ShapesApiReordered"), "--lang", "c", "--out", output, "--baseline", ShapesApi);

        Assert.True(reordered.ExitCode == 1, reordered.ToString());
        Assert.Contains("PLUGBOARD014 error: shapes.canvas/1 SetTitle(string): member #2 was SetTitle(string) (set_title(utf8) -> void) and is now Sum(System.ReadOnlySpan<Shapes.Api.Point>)", reordered.Stderr, StringComparison.Ordinal);
        Assert.Contains("any other change needs a new interface id ('shapes.canvas/2')", reordered.Stderr, StringComparison.Ordinal);
        Assert.Contains("PLUGBOARD014 error: Shapes.Api.Point Y: member #3 was Y (f64 Y) and is now Y (f32 Y).", reordered.Stderr, StringComparison.Ordinal);

        CliResult appended = CliProcess.Run("bindgen", PluginFolder.Metadata("ShapesApiAppended"), "--lang", "c", "--out", output, "--baseline", ShapesApi);
        Assert.True(appended.ExitCode == 0, appended.ToString());
        Assert.Contains("shapes.canvas/1: 1 member(s) appended from Clear() on: compatible, plugins built against the first 14 keep working.", appended.Stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(output, "shapes_api.h")));
    }

    [Fact]
    public void A_missing_file_or_a_file_that_is_not_an_assembly_is_an_input_error()
    {
        CliResult missing = CliProcess.Run("bindgen", "/nonexistent/Api.dll", "--lang", "c", "--out", OutFolder());
        Assert.Equal(3, missing.ExitCode);
        Assert.Contains("error: The assembly '/nonexistent/Api.dll' does not exist.", missing.Stderr, StringComparison.Ordinal);

        string notAssembly = Path.Combine(Path.GetTempPath(), "plugboard-tests", Guid.NewGuid().ToString("N") + ".dll");
        Directory.CreateDirectory(Path.GetDirectoryName(notAssembly)!);
        File.WriteAllText(notAssembly, "text");
        CliResult text = CliProcess.Run("bindgen", notAssembly, "--lang", "rust", "--out", OutFolder());
        Assert.Equal(3, text.ExitCode);
        Assert.Contains($"'{notAssembly}' is not a .NET assembly", text.Stderr, StringComparison.Ordinal);

        CliResult language = CliProcess.Run("bindgen", NotebookApi, "--lang", "go", "--out", OutFolder());
        Assert.Equal(2, language.ExitCode);
    }
}

/// <summary>
/// verify and list apply the loader's layout check to native plugins: a plugin whose plugin.json records the member
/// hashes bindgen wrote beside the bindings of another build of the host API fails with PB0418 naming the first member
/// that differs; one built against this build passes. Nothing is loaded.
/// </summary>
public sealed class NativeLayoutVerifyTests
{
    [Fact]
    public void Verify_refuses_a_native_plugin_recorded_against_a_reordered_build_and_passes_the_current_one()
    {
        using var plugins = new PluginFolder();
        NativePlugin(plugins.Root, "shapes-current", PluginFolder.Metadata("ShapesApi"));
        NativePlugin(plugins.Root, "shapes-old", PluginFolder.Metadata("ShapesApiReordered"));

        CliResult result = CliProcess.Run("verify", plugins.Root, "--host-api", PluginFolder.Metadata("ShapesApi"), "--json");

        Assert.True(result.ExitCode == 1, result.ToString());
        JsonElement json = result.Json();
        JsonElement[] entries = [.. json.GetProperty("plugins").EnumerateArray()];
        JsonElement current = entries.Single(p => p.GetProperty("id").GetString() == "shapes-current");
        Assert.True(current.GetProperty("compatible").GetBoolean(), current.ToString());
        JsonElement old = entries.Single(p => p.GetProperty("id").GetString() == "shapes-old");
        Assert.False(old.GetProperty("compatible").GetBoolean());
        string verdict = old.GetProperty("verdict").GetString()!;
        Assert.StartsWith("PB0418: The plugin was built against another layout of 'shapes.canvas/1' than this host's: member #2, SetTitle(string) (hash 0x", verdict, StringComparison.Ordinal);

        CliResult human = CliProcess.Run("list", plugins.Root, "--host-api", PluginFolder.Metadata("ShapesApi"));
        Assert.True(human.ExitCode == 1, human.ToString());
        Assert.Contains("PB0418", human.Stdout, StringComparison.Ordinal);
    }

    private static string Rid => (OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux") + "-" + System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();

    /// <summary>A native plugin folder whose manifest records the section bindgen emits from <paramref name="api"/>.</summary>
    private static void NativePlugin(string root, string id, string api)
    {
        string folder = Directory.CreateDirectory(Path.Combine(root, id)).FullName;
        CliResult bindgen = CliProcess.Run("bindgen", api, "--lang", "c", "--out", Path.Combine(folder, "include"));
        Assert.True(bindgen.ExitCode == 0, bindgen.ToString());
        using JsonDocument section = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "include", "shapes_api.interfaces.json")));
        File.WriteAllBytes(Path.Combine(folder, "libshapes.so"), []); // verify reads metadata only: the library is never opened
        File.WriteAllText(Path.Combine(folder, "plugin.json"), $$"""
            { "id": "{{id}}", "version": "1.0.0", "kind": "native",
              "native": { "abiMajor": 1, "libraries": { "{{Rid}}": "libshapes.so" }, "interfaces": {{section.RootElement.GetProperty("interfaces").GetRawText()}} } }
            """);
    }
}
