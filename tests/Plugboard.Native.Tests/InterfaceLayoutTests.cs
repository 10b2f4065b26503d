using System.Reflection;
using System.Text.Json.Nodes;
using Notebook.Api;
using Notebook.Api.Native;
using Plugboard.Contracts;
using Plugboard.Contracts.Bindings;

namespace Plugboard.Native.Tests;

/// <summary>
/// The layout-hash check at load: the C sample compiled against the header emitted from another build of Notebook.Api
/// (Note's CountWords and TagCount swapped under the same id, notebook.note/1) records that build's member hashes in its
/// plugin.json; a host set up with the generated bindings of the real API refuses it before opening its library
/// (PB0418, naming the first member that differs), while the same plugin built against the real API, and other
/// plugins, load and work.
/// </summary>
public sealed class InterfaceLayoutTests
{
    private const string Body = "Plugins plugins everywhere. The host loads plugins.";

    private static string ReorderedApi => typeof(InterfaceLayoutTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "NotebookApiReordered").Value!;

    [Fact]
    public void A_plugin_built_against_a_reordered_API_is_refused_naming_the_member_and_the_others_keep_working()
    {
        string root = TestPaths.NewTempDirectory("layout-check");
        string current = BuildWordCount(root, "c-wordcount", ContractReader.Read(typeof(Note).Assembly.Location), recordHashes: true);
        string reordered = BuildWordCount(root, "c-wordcount-old", TestApis(ReorderedApi), recordHashes: true);

        IReadOnlyList<NativePlugin> loaded = new NativePluginLoader(TestLoaders.Notebook(TestLoaders.Options()))
            .LoadAll([reordered, current, TestPaths.TestPlugin("echo")], out IReadOnlyList<PluginException> failures);
        try
        {
            PluginException refused = Assert.Single(failures);
            Assert.Equal(PluginErrorCode.NativeInterfaceLayoutMismatch, refused.Code);
            Assert.Equal("PB0418", refused.CodeText);
            Assert.Equal("c-wordcount-old", refused.PluginId);
            Assert.Contains("another layout of 'notebook.note/1' than this host's: member #8, TagCount { get; } (hash 0x", refused.Message, StringComparison.Ordinal);
            Assert.Contains("The library was not opened.", refused.Message, StringComparison.Ordinal);
            Assert.Contains("any other change needs a new interface id ('notebook.note/2')", refused.Message, StringComparison.Ordinal);

            Assert.Equal(["c-wordcount", "echo"], loaded.Select(p => p.Id));
            Assert.Equal("hi", loaded[1].Invoke("echo", "hi"));
            Notebook.Api.INoteProcessor processor = NoteProcessorProxy.Create(loaded[0]);
            var store = new NotebookStore();
            Note note = store.Add(new Note("Plugins", Body));
            Assert.Equal($"c-wordcount: {TextTools.CountWords(Body)} words, tagged 'short'", processor.Process(note, store));
            Assert.Equal(TextTools.CountWords(Body), note.Metrics["words"]);
        }
        finally
        {
            foreach (NativePlugin plugin in loaded)
            {
                plugin.Dispose();
            }
        }
    }

    [Fact]
    public void Without_recorded_hashes_the_reordered_build_loads_and_calls_the_wrong_functions_which_is_what_the_check_prevents()
    {
        string root = TestPaths.NewTempDirectory("layout-unchecked");
        string reordered = BuildWordCount(root, "c-wordcount", TestApis(ReorderedApi), recordHashes: false);

        using NativePlugin plugin = new NativePluginLoader(TestLoaders.Notebook(TestLoaders.Options())).Load(reordered);
        var store = new NotebookStore();
        Note note = store.Add(new Note("Plugins", Body));
        note.Tags.Add("draft");
        NoteProcessorProxy.Create(plugin).Process(note, store);

        // Its count_words reached the host's get_tag_count: a silent mismatch, one "word" counted for the one tag.
        Assert.Equal(1, note.Metrics["words"]);
        Assert.NotEqual(1, TextTools.CountWords(Body));
    }

    [Fact]
    public void A_plugin_that_knows_only_the_first_members_loads_appending_keeps_the_id_compatible()
    {
        string root = TestPaths.NewTempDirectory("layout-prefix");
        ContractModel model = ContractReader.Read(typeof(Note).Assembly.Location);
        // As a build before CountWords was appended records it: the first eight hashes of notebook.note/1.
        string folder = BuildWordCount(root, "c-wordcount", model, recordHashes: true, keep: 8);

        using NativePlugin plugin = new NativePluginLoader(TestLoaders.Notebook(TestLoaders.Options())).Load(folder);
        var store = new NotebookStore();
        Note note = store.Add(new Note("Plugins", Body));
        Assert.Equal($"c-wordcount: {TextTools.CountWords(Body)} words, tagged 'short'", NoteProcessorProxy.Create(plugin).Process(note, store));
    }

    [Fact]
    public void A_plugin_that_knows_more_members_than_the_host_is_refused()
    {
        string root = TestPaths.NewTempDirectory("layout-newer");
        string folder = BuildWordCount(root, "c-wordcount", ContractReader.Read(typeof(Note).Assembly.Location), recordHashes: true, extra: 0x0123456789abcdefUL);

        PluginException refused = Assert.Throws<PluginException>(() => new NativePluginLoader(TestLoaders.Notebook(TestLoaders.Options())).Load(folder));

        Assert.Equal(PluginErrorCode.NativeInterfaceLayoutMismatch, refused.Code);
        Assert.Contains("the plugin knows 10 members and this host has 9, so member #10 (hash 0x0123456789abcdef) is unknown here", refused.Message, StringComparison.Ordinal);
    }

    private static ContractModel TestApis(string path)
    {
        Assert.True(File.Exists(path), $"the test API {path} was not built");
        ContractModel model = ContractReader.Read(path);
        Assert.False(model.HasErrors, string.Join('\n', model.Diagnostics));
        return model;
    }

    /// <summary>
    /// The C sample compiled against the header emitted from <paramref name="model"/>, in a folder with a plugin.json
    /// whose native.interfaces is the section bindgen emits beside that header (or none).
    /// </summary>
    private static string BuildWordCount(string root, string id, ContractModel model, bool recordHashes, int keep = int.MaxValue, ulong? extra = null)
    {
        string include = Path.Combine(root, id + "-include");
        Directory.CreateDirectory(include);
        foreach (EmittedFile file in ContractBindings.Emit(model, BindingLanguage.C))
        {
            File.WriteAllText(Path.Combine(include, file.FileName), file.Content);
        }
        string folder = Path.Combine(root, id);
        Directory.CreateDirectory(folder);
        NativeToolchain.CompileC(Path.Combine(TestPaths.RepoRoot, "samples", "native", "c-wordcount", "plugin.c"), include, Path.Combine(folder, "libc-wordcount.so"));

        var native = new JsonObject { ["abiMajor"] = 1, ["libraries"] = new JsonObject { ["linux-x64"] = "libc-wordcount.so" } };
        if (recordHashes)
        {
            JsonObject interfaces = JsonNode.Parse(ContractBindings.EmitManifestInterfaces(model).Content)!["interfaces"]!.AsObject();
            JsonArray notes = interfaces["notebook.note/1"]!.AsArray();
            while (notes.Count > keep)
            {
                notes.RemoveAt(notes.Count - 1);
            }
            if (extra is ulong hash)
            {
                notes.Add("0x" + hash.ToString("x16", System.Globalization.CultureInfo.InvariantCulture));
            }
            native["interfaces"] = interfaces.DeepClone();
        }
        var manifest = new JsonObject { ["id"] = id, ["version"] = "1.0.0", ["kind"] = "native", ["native"] = native };
        File.WriteAllText(Path.Combine(folder, "plugin.json"), manifest.ToJsonString());
        return folder;
    }
}
