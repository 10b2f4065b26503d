using System.Text.Json.Nodes;
using Notebook.Api;
using Notebook.NativeBridge;
using Plugboard.Contracts;
using Plugboard.Contracts.Bindings;

namespace Plugboard.Native.Tests;

/// <summary>The sample plugins in C, Rust and NativeAOT C# change a real Note through notebook.notes/1 through the notebook.processor/1 tables they serve.</summary>
[Collection(SamplePluginsCollection.Name)]
public sealed class NotebookBridgeTests
{
    private const string Body = "Plugins plugins everywhere. The host loads plugins, and plugins call the host back.";

    [Fact]
    public void C_sample_counts_words_with_the_hosts_TextTools_and_tags_the_note()
    {
        using NativeNoteProcessor processor = TestLoaders.LoadProcessor(TestPaths.SamplePlugin("c-wordcount"));
        var store = new NotebookStore();
        Note note = store.Add(new Note("Plugins", Body));

        string report = processor.Process(note, store);

        Assert.Equal("Word count (C)", processor.Name);
        // The sample implements notebook.processor/1 on the emitted header: called through the generated proxy, not invoke.
        Assert.IsType<Notebook.Api.Native.NativeNoteProcessorProxy>(processor.Contract);
        PluginException noProcess = Assert.Throws<PluginException>(() => processor.Plugin.Invoke("process", string.Empty));
        Assert.Contains("the host calls it through notebook.processor/2", noProcess.Message, StringComparison.Ordinal);
        Assert.Equal(TextTools.CountWords(Body), note.Metrics["words"]);
        Assert.True(note.Tags.Contains("short"));
        Assert.Equal($"c-wordcount: {TextTools.CountWords(Body)} words, tagged 'short'", report);
    }

    [Theory]
    [InlineData("c-wordcount")]
    [InlineData("rust-keywords")]
    [InlineData("aot-summary")]
    public void The_build_writes_the_hashes_bindgen_emitted_into_each_samples_manifest(string sample)
    {
        // The source plugin.json records none; the build kit merges Generated/notebook_api.interfaces.json into the copy.
        JsonNode source = JsonNode.Parse(File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "samples", "native", sample, "plugin.json")))!;
        Assert.Null(source["native"]!["interfaces"]);
        JsonNode built = JsonNode.Parse(File.ReadAllText(Path.Combine(TestPaths.SamplePlugin(sample), "plugin.json")))!;
        ContractModel model = ContractReader.Read(typeof(INoteProcessor).Assembly.Location);
        JsonNode emitted = JsonNode.Parse(ContractBindings.EmitManifestInterfaces(model).Content)!["interfaces"]!;
        Assert.True(JsonNode.DeepEquals(emitted, built["native"]!["interfaces"]), built.ToJsonString());
        // The rest of the manifest is the source's.
        built["native"]!.AsObject().Remove("interfaces");
        Assert.True(JsonNode.DeepEquals(source, built), built.ToJsonString());
    }

    [Fact]
    public void Rust_sample_tags_the_top_keyword_and_sets_a_metric()
    {
        using NativeNoteProcessor processor = TestLoaders.LoadProcessor(TestPaths.SamplePlugin("rust-keywords"));
        var store = new NotebookStore();
        Note note = store.Add(new Note("Plugins", Body));

        string report = processor.Process(note, store);

        Assert.Equal("Keywords (Rust)", processor.Name);
        // The sample implements the generated trait of notebook.processor/1: called through the generated proxy, not invoke.
        Assert.IsType<Notebook.Api.Native.NativeNoteProcessorProxy>(processor.Contract);
        PluginException noProcess = Assert.Throws<PluginException>(() => processor.Plugin.Invoke("process", string.Empty));
        Assert.Contains("the host calls rust-keywords through notebook.processor/2", noProcess.Message, StringComparison.Ordinal);
        Assert.True(note.Tags.Contains("kw-plugins"), note.Tags.ToString());
        Assert.Equal(8, note.Metrics["unique_words"]);
        Assert.StartsWith("rust-keywords: top word 'plugins'", report, StringComparison.Ordinal);
    }

    [Fact]
    public void NativeAot_sample_tags_sets_a_metric_and_adds_a_note_to_the_store()
    {
        var log = new List<string>();
        using NativeNoteProcessor processor = TestLoaders.LoadProcessor(TestPaths.SamplePlugin("aot-summary"), new ListLog(log));
        var store = new NotebookStore();
        Note note = store.Add(new Note("Groceries", "todo: buy milk"));

        string report = processor.Process(note, store);

        Assert.Equal("Summary (NativeAOT C#)", processor.Name);
        // The sample implements the emitted INativeNoteProcessor: called through the generated proxy, not invoke.
        Assert.IsType<Notebook.Api.Native.NativeNoteProcessorProxy>(processor.Contract);
        PluginException noProcess = Assert.Throws<PluginException>(() => processor.Plugin.Invoke("process", string.Empty));
        Assert.Contains("the host calls aot-summary through notebook.processor/2", noProcess.Message, StringComparison.Ordinal);
        Assert.True(note.Tags.Contains("aot-seen"));
        Assert.Equal(14, note.Metrics["chars"]);
        Note followUp = Assert.Single(store.Notes, n => n.Id != note.Id);
        Assert.Equal("Follow up: Groceries", followUp.Title);
        Assert.Equal("Summary (NativeAOT C#)", followUp.Author);
        Assert.Equal($"aot-summary: 'Groceries' has 14 chars, follow-up note #{followUp.Id} added", report);
        Assert.Contains("[aot-summary] aot-summary ready", log);
        Assert.False(processor.Plugin.Flags.HasFlag(NativePluginFlags.Unloadable));
    }

    [Fact]
    public void NativeAot_plugin_exceptions_become_typed_errors_and_the_plugin_keeps_working()
    {
        using NativeNoteProcessor processor = TestLoaders.LoadProcessor(TestPaths.SamplePlugin("aot-summary"));
        var e = Assert.Throws<PluginException>(() => processor.Plugin.Invoke("no-such-op", string.Empty));
        Assert.Equal(PluginErrorCode.NativeCallFailed, e.Code);
        Assert.Contains("PB_ERR_UNSUPPORTED (-3): unknown operation 'no-such-op'", e.Message, StringComparison.Ordinal);
        var store = new NotebookStore();
        Note note = store.Add(new Note("Later", "fine"));
        Assert.StartsWith("aot-summary:", processor.Process(note, store), StringComparison.Ordinal);
    }

    [Fact]
    public void A_NativeAot_contract_implementation_that_throws_fails_with_its_message_through_set_error()
    {
        using NativeNoteProcessor processor = TestLoaders.LoadProcessor(TestPaths.SamplePlugin("aot-summary"));
        // A note mentioning a todo, processed without a store: the host's add_note refuses (PB_ERR_UNSUPPORTED), the
        // sample's generated client throws, and the emitted notebook.processor/1 table reports that exception's message.
        Note note = new NotebookStore().Add(new Note("Groceries", "todo: buy milk"));

        var e = Assert.Throws<PluginException>(() => processor.Process(note, null!));

        Assert.Equal(PluginErrorCode.NativeCallFailed, e.Code);
        Assert.Equal("aot-summary", e.PluginId);
        Assert.Contains("notebook.processor/1 process of plugin 'Summary (NativeAOT C#)' returned PB_ERR_UNSUPPORTED (-3): notebook.notes/1 add_note: failed (status -3)", e.Message, StringComparison.Ordinal);
        Assert.StartsWith("aot-summary:", processor.Process(note, new NotebookStore()), StringComparison.Ordinal);
    }

    [Fact]
    public void LoadAll_gives_every_sample_plugin_as_an_INoteProcessor()
    {
        IReadOnlyList<NativeNoteProcessor> processors = NativeNoteProcessor.LoadAll(TestPaths.SamplePlugins, out IReadOnlyList<PluginException> failures);
        try
        {
            Assert.Empty(failures);
            Assert.Contains(processors, p => p.Plugin.Id == "c-wordcount");
            Assert.Contains(processors, p => p.Plugin.Id == "rust-keywords");
            Assert.Contains(processors, p => p.Plugin.Id == "aot-summary");
            var store = new NotebookStore();
            Note note = store.Add(new Note("Mixed", Body));
            foreach (INoteProcessor processor in processors)
            {
                Assert.False(string.IsNullOrWhiteSpace(processor.Process(note, store)));
            }
            Assert.True(note.Metrics.ContainsKey("words"));
            Assert.True(note.Metrics.ContainsKey("unique_words"));
            Assert.True(note.Metrics.ContainsKey("chars"));
        }
        finally
        {
            foreach (NativeNoteProcessor processor in processors)
            {
                processor.Dispose();
            }
        }
    }

    [Fact]
    public void LoadAll_takes_the_folders_a_managed_host_skipped_as_native()
    {
        string[] folders = [TestPaths.SamplePlugin("c-wordcount"), Path.Combine(TestPaths.SamplePlugins, "no-such-plugin")];
        IReadOnlyList<NativeNoteProcessor> processors = NativeNoteProcessor.LoadAll(folders, out IReadOnlyList<PluginException> failures);
        try
        {
            Assert.Equal("c-wordcount", Assert.Single(processors).Plugin.Id);
            Assert.Equal(PluginErrorCode.NativeManifestInvalid, Assert.Single(failures).Code);
        }
        finally
        {
            foreach (NativeNoteProcessor processor in processors)
            {
                processor.Dispose();
            }
        }
    }

    [Fact]
    public void Without_the_notes_interface_the_c_sample_starts_but_no_contract_proxy_can_be_made_over_it()
    {
        // The C sample gets notebook.notes/1 as a handle with each process call, so its init asks the host for nothing;
        // a host that offers no notes table cannot pass that handle, and the proxy says which table to register.
        using NativePlugin plugin = new NativePluginLoader().Load(TestPaths.SamplePlugin("c-wordcount"));
        Assert.Equal("pong", plugin.Invoke("ping", string.Empty));
        var e = Assert.Throws<PluginException>(() => Notebook.Api.Native.NativeNoteProcessorProxy.Create(plugin));
        Assert.Equal(PluginErrorCode.NativeHostInterfaceMissing, e.Code);
        Assert.Equal("PB0419", e.CodeText);
        Assert.Equal("c-wordcount", e.PluginId);
        Assert.StartsWith("The host offers no notebook.notes/1 table, and notebook.processor/1 passes one as the handle 'notes' of Process", e.Cause, StringComparison.Ordinal);
        Assert.StartsWith("Offer notebook.notes/1 to the plugin's loader before loading it: NativePluginLoaderOptions.Interfaces.Register(table, layout)", e.Fix, StringComparison.Ordinal);
    }

    private sealed class ListLog(List<string> lines) : IPluginLog
    {
        public void Write(PluginLogLevel level, string message, Exception? exception = null)
        {
            lock (lines)
            {
                lines.Add(message);
            }
        }
    }
}
