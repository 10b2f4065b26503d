using System.Text.Json.Nodes;
using Notebook.Api;
using Notebook.Api.Native;
using Plugboard.Contracts;
using Plugboard.Contracts.Bindings;
using INoteProcessor = Notebook.Api.INoteProcessor;

namespace Plugboard.Native.Tests;

/// <summary>
/// A C plugin implementing the host's own contract <see cref="INoteProcessor"/> (exported as notebook.processor/2), on
/// the header bindgen emits from Notebook.Api: <c>PluginHost&lt;INoteProcessor&gt;</c> loads it beside a managed plugin
/// with no hand-written adapter (the generated <c>NoteProcessorProxy</c> is the adapter, the generated host tables of
/// the exported classes <see cref="Note"/> and <see cref="NotebookStore"/> serve the handles), and the host calls
/// <c>Process(note, store)</c> with its own objects.
/// </summary>
[Collection(SamplePluginsCollection.Name)]
public sealed class HostClassHandleTests
{
    private const string Body = "Plugins plugins everywhere. The host loads plugins, and plugins call the host back.";

    [Fact]
    public async Task A_C_plugin_implements_INoteProcessor_and_changes_the_hosts_own_note_and_store_through_handles()
    {
        string root = TestPaths.NewTempDirectory("host-class-handles");
        ContractModel model = ContractReader.Read(typeof(INoteProcessor).Assembly.Location);
        BuildProcessorPlugin(root, "c-processor", model, noteHash: null);
        BuildProcessorPlugin(root, "c-processor-old", model, noteHash: 0x0123456789abcdefUL);
        CopyFolder(TestPaths.SamplePlugin("WordStats"), Path.Combine(root, "WordStats"));

        var options = new PluginHostOptions();
        NotebookApiHostTables.Offer(options.NativePlugins);
        NoteProcessorProxy.Expect(options.NativePlugins);
        options.NativePlugins.ShadowCopyDirectory = Path.Combine(TestPaths.ArtifactsRoot, "tests", "shadow");
        options.AddNativeAdapter<INoteProcessor>(NoteProcessorProxy.Create);
        await using var host = new PluginHost<INoteProcessor>(options);

        PluginLoadResult<INoteProcessor> result = await host.LoadAllAsync(host.Discover(root));

        // Built against another layout of the host class's table: refused before its library opened, naming the member.
        PluginFailure refused = Assert.Single(result.Failed);
        Assert.Equal("c-processor-old", refused.Entry.Id);
        Assert.Equal(PluginErrorCode.NativeInterfaceLayoutMismatch, refused.Error.Code);
        Assert.Contains("another layout of 'notebook.note/1' than this host's: member #1, Id { get; } (hash 0x", refused.Error.Message, StringComparison.Ordinal);

        LoadedPlugin<INoteProcessor> native = Assert.Single(result.Loaded, p => p.Id == "c-processor");
        Assert.True(native.Invoke(p => p is NoteProcessorProxy), "the C plugin is the generated proxy itself: no adapter class");
        Assert.Equal("C processor", native.Invoke(p => p.Name));

        var store = new NotebookStore();
        Note note = store.Add(new Note("Plugins", Body));
        note.Tags.Add("draft");
        Note other = store.Add(new Note("Other", "Two words"));
        int words = TextTools.CountWords(Body);

        string first = native.Invoke(p => p.Process(note, store));

        Note added = Assert.Single(store.Notes, n => n.Author == "C processor");
        Assert.Equal($"'Plugins': {words} words, 1 tags before, new tag 1; added #{added.Id} of 3; previous handle 0", first);
        Assert.Equal(words, note.Metrics["c_words"]);
        Assert.True(note.Tags.Contains("c-processor"), note.Tags.ToString());
        // The plugin also passed bad input (an empty metric name, a body that is not UTF-8, NULL with a length, a NULL out
        // pointer): each got its status (the plugin checks them, else it fails the call) and changed nothing.
        Assert.Equal("(read by C)", note.Body);
        Assert.DoesNotContain("", note.Metrics.Keys);
        Assert.Equal(["draft", "c-processor"], note.Tags);
        Assert.Equal("Seen: Plugins", added.Title);
        Assert.Equal("from C", added.Body);
        Assert.Equal("Two words", other.Body);

        // The handle the plugin kept from the first call names no call any more: PB_ERR_NO_CALL (-8), and the first note is untouched.
        string second = native.Invoke(p => p.Process(other, store));
        Assert.EndsWith("previous handle -8", second, StringComparison.Ordinal);
        Assert.StartsWith("'Other': 2 words, 0 tags before", second, StringComparison.Ordinal);
        Assert.Equal("(read by C)", note.Body);
        Assert.Equal("(read by C)", other.Body);

        // Beside it, the managed plugin through the same contract.
        LoadedPlugin<INoteProcessor> managed = Assert.Single(result.Loaded, p => p.Id == "WordStats");
        Assert.StartsWith("3 words", managed.Invoke(p => p.Process(new Note("x", "one two three"), store)), StringComparison.Ordinal);

        // A failing status is a typed error with the plugin's own message; the plugin keeps working.
        Note failing = store.Add(new Note("fail", "no"));
        PluginException error = Assert.Throws<PluginException>(() => native.Invoke(p => p.Process(failing, store)));
        Assert.Equal(PluginErrorCode.NativeCallFailed, error.Code);
        Assert.Contains("notebook.processor/2 process of plugin 'Processor (C)' returned PB_ERR_FAILED (-1): c-processor refuses notes titled 'fail'", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("'Plugins':", native.Invoke(p => p.Process(note, store)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_C_Rust_and_NativeAOT_samples_implement_INoteProcessor_and_are_called_through_the_generated_proxy_alone()
    {
        string root = TestPaths.NewTempDirectory("host-class-samples");
        foreach (string sample in new[] { "c-wordcount", "rust-keywords", "aot-summary" })
        {
            CopyFolder(TestPaths.SamplePlugin(sample), Path.Combine(root, sample));
        }
        var options = new PluginHostOptions();
        NotebookApiHostTables.Offer(options.NativePlugins);
        NoteProcessorProxy.Expect(options.NativePlugins);
        options.NativePlugins.ShadowCopyDirectory = Path.Combine(TestPaths.ArtifactsRoot, "tests", "shadow");
        options.AddNativeAdapter<INoteProcessor>(NoteProcessorProxy.Create);
        await using var host = new PluginHost<INoteProcessor>(options);

        PluginLoadResult<INoteProcessor> result = await host.LoadAllAsync(host.Discover(root));

        Assert.Empty(result.Failed);
        Assert.Equal(["aot-summary", "c-wordcount", "rust-keywords"], result.Loaded.Select(p => p.Id).Order(StringComparer.Ordinal));
        Assert.All(result.Loaded, p => Assert.True(p.Invoke(processor => processor is NoteProcessorProxy), p.Id));
        Assert.Equal(["Summary (NativeAOT C#)", "Word count (C)", "Keywords (Rust)"], result.Loaded.OrderBy(p => p.Id, StringComparer.Ordinal).Select(p => p.Invoke(processor => processor.Name)));

        var store = new NotebookStore();
        const string body = "Pack the tent, pack the stove; todo: check the tent poles before the trip.";
        Note note = store.Add(new Note("Camping", body));
        string Run(string id) => Assert.Single(result.Loaded, p => p.Id == id).Invoke(processor => processor.Process(note, store));

        Assert.Equal($"c-wordcount: {TextTools.CountWords(body)} words, tagged 'short'", Run("c-wordcount"));
        Assert.Equal(TextTools.CountWords(body), note.Metrics["words"]);
        Assert.True(note.Tags.Contains("short"));

        Assert.Equal("rust-keywords: top word 'pack', 9 distinct words", Run("rust-keywords"));
        Assert.True(note.Tags.Contains("kw-pack"));
        Assert.Equal(9, note.Metrics["unique_words"]); // pack and tent tie at 2: the alphabetically first wins

        string summary = Run("aot-summary");
        Note followUp = Assert.Single(store.Notes, n => n.Title == "Follow up: Camping");
        Assert.Equal($"aot-summary: 'Camping' has {body.Length} chars, follow-up note #{followUp.Id} added", summary);
        Assert.Equal("Summary (NativeAOT C#)", followUp.Author); // the store handle's add_note, with the plugin's name
        Assert.True(note.Tags.Contains("aot-seen"));
        Assert.Equal(body.Length, note.Metrics["chars"]);
    }

    [Fact]
    public void Outside_a_call_a_host_object_handle_resolves_to_nothing()
    {
        // Any token value, a live one of another thread included, is safe to look up and names no host object.
        Assert.False(NativeCall.TryGetHostObject(0, out Note? none));
        Assert.Null(none);
        Assert.False(NativeCall.TryGetHostObject(unchecked((nint)0x7fff_ffff_ffff_fff1), out Note? _));
    }

    /// <summary>c_processor.c compiled against the header emitted from <paramref name="model"/>, its plugin.json recording the emitted hashes (or a wrong one for notebook.note/1).</summary>
    private static void BuildProcessorPlugin(string root, string id, ContractModel model, ulong? noteHash)
    {
        string include = Path.Combine(root, "..", Path.GetFileName(root) + "-" + id + "-include");
        Directory.CreateDirectory(include);
        foreach (EmittedFile file in ContractBindings.Emit(model, BindingLanguage.C))
        {
            File.WriteAllText(Path.Combine(include, file.FileName), file.Content);
        }
        string folder = Directory.CreateDirectory(Path.Combine(root, id)).FullName;
        NativeToolchain.CompileC(Path.Combine(AppContext.BaseDirectory, "GeneratedBindings", "c_processor.c"), include, Path.Combine(folder, "libc-processor.so"));
        JsonObject interfaces = JsonNode.Parse(ContractBindings.EmitManifestInterfaces(model).Content)!["interfaces"]!.AsObject();
        if (noteHash is ulong hash)
        {
            interfaces[NoteHostTable.Id] = new JsonArray("0x" + hash.ToString("x16", System.Globalization.CultureInfo.InvariantCulture));
        }
        var native = new JsonObject { ["abiMajor"] = 1, ["libraries"] = new JsonObject { ["linux-x64"] = "libc-processor.so" }, ["interfaces"] = interfaces.DeepClone() };
        File.WriteAllText(Path.Combine(folder, "plugin.json"), new JsonObject { ["id"] = id, ["version"] = "1.0.0", ["kind"] = "native", ["native"] = native }.ToJsonString());
    }

    private static void CopyFolder(string source, string target)
    {
        foreach (string file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            string destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
    }
}
