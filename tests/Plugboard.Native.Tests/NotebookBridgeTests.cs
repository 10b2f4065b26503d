using System.Text.Json.Nodes;
using Notebook.Api;
using Notebook.Api.Native;
using Plugboard.Contracts;
using Plugboard.Contracts.Bindings;
using INoteProcessor = Notebook.Api.INoteProcessor;

namespace Plugboard.Native.Tests;

/// <summary>The sample plugins in C, Rust and NativeAOT C# change the host's own Note and NotebookStore (handles to notebook.note/1 and notebook.store/1) through the notebook.processor/2 tables they serve, called through the generated <see cref="NoteProcessorProxy"/>.</summary>
[Collection(SamplePluginsCollection.Name)]
public sealed class NotebookBridgeTests
{
    private const string Body = "Plugins plugins everywhere. The host loads plugins, and plugins call the host back.";

    [Fact]
    public void C_sample_counts_words_with_the_hosts_TextTools_and_tags_the_note()
    {
        using NativePlugin plugin = TestLoaders.LoadSample(TestPaths.SamplePlugin("c-wordcount"));
        INoteProcessor processor = NoteProcessorProxy.Create(plugin);
        var store = new NotebookStore();
        Note note = store.Add(new Note("Plugins", Body));

        string report = processor.Process(note, store);

        Assert.Equal("Word count (C)", processor.Name);
        // The sample implements notebook.processor/2 on the emitted header: called through the generated proxy, not invoke.
        PluginException noProcess = Assert.Throws<PluginException>(() => plugin.Invoke("process", string.Empty));
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
        using NativePlugin plugin = TestLoaders.LoadSample(TestPaths.SamplePlugin("rust-keywords"));
        INoteProcessor processor = NoteProcessorProxy.Create(plugin);
        var store = new NotebookStore();
        Note note = store.Add(new Note("Plugins", Body));

        string report = processor.Process(note, store);

        Assert.Equal("Keywords (Rust)", processor.Name);
        // The sample implements the generated trait of notebook.processor/2: called through the generated proxy, not invoke.
        PluginException noProcess = Assert.Throws<PluginException>(() => plugin.Invoke("process", string.Empty));
        Assert.Contains("the host calls rust-keywords through notebook.processor/2", noProcess.Message, StringComparison.Ordinal);
        Assert.True(note.Tags.Contains("kw-plugins"), note.Tags.ToString());
        Assert.Equal(8, note.Metrics["unique_words"]);
        Assert.StartsWith("rust-keywords: top word 'plugins'", report, StringComparison.Ordinal);
    }

    [Fact]
    public void NativeAot_sample_tags_sets_a_metric_and_adds_a_note_to_the_store()
    {
        var log = new List<string>();
        using NativePlugin plugin = TestLoaders.LoadSample(TestPaths.SamplePlugin("aot-summary"), new ListLog(log));
        INoteProcessor processor = NoteProcessorProxy.Create(plugin);
        var store = new NotebookStore();
        Note note = store.Add(new Note("Groceries", "todo: buy milk"));

        string report = processor.Process(note, store);

        Assert.Equal("Summary (NativeAOT C#)", processor.Name);
        // The sample implements the emitted INoteProcessor: called through the generated proxy, not invoke.
        PluginException noProcess = Assert.Throws<PluginException>(() => plugin.Invoke("process", string.Empty));
        Assert.Contains("the host calls aot-summary through notebook.processor/2", noProcess.Message, StringComparison.Ordinal);
        Assert.True(note.Tags.Contains("aot-seen"));
        Assert.Equal(14, note.Metrics["chars"]);
        Note followUp = Assert.Single(store.Notes, n => n.Id != note.Id);
        Assert.Equal("Follow up: Groceries", followUp.Title);
        Assert.Equal("Summary (NativeAOT C#)", followUp.Author);
        Assert.Equal($"aot-summary: 'Groceries' has 14 chars, follow-up note #{followUp.Id} added", report);
        Assert.Contains("[aot-summary] aot-summary ready", log);
        Assert.False(plugin.Flags.HasFlag(NativePluginFlags.Unloadable));
    }

    [Fact]
    public void NativeAot_plugin_exceptions_become_typed_errors_and_the_plugin_keeps_working()
    {
        using NativePlugin plugin = TestLoaders.LoadSample(TestPaths.SamplePlugin("aot-summary"));
        INoteProcessor processor = NoteProcessorProxy.Create(plugin);
        var e = Assert.Throws<PluginException>(() => plugin.Invoke("no-such-op", string.Empty));
        Assert.Equal(PluginErrorCode.NativeCallFailed, e.Code);
        Assert.Contains("PB_ERR_UNSUPPORTED (-3): unknown operation 'no-such-op'", e.Message, StringComparison.Ordinal);
        var store = new NotebookStore();
        Note note = store.Add(new Note("Later", "fine"));
        Assert.StartsWith("aot-summary:", processor.Process(note, store), StringComparison.Ordinal);
    }

    [Fact]
    public void A_NativeAot_contract_implementation_that_throws_fails_with_its_message_through_set_error()
    {
        using NativePlugin plugin = TestLoaders.LoadSample(TestPaths.SamplePlugin("aot-summary"));
        INoteProcessor processor = NoteProcessorProxy.Create(plugin);
        // A note mentioning a todo, processed with a store whose NoteAdded handler throws: the host's add_note fails,
        // the sample's generated client throws, and the emitted notebook.processor/2 table reports that exception's message.
        var refusing = new NotebookStore();
        Note note = refusing.Add(new Note("Groceries", "todo: buy milk"));
        refusing.NoteAdded += (_, _) => throw new InvalidOperationException("this store takes no follow-ups");

        var e = Assert.Throws<PluginException>(() => processor.Process(note, refusing));

        Assert.Equal(PluginErrorCode.NativeCallFailed, e.Code);
        Assert.Equal("aot-summary", e.PluginId);
        Assert.Contains("notebook.processor/2 process of plugin 'Summary (NativeAOT C#)' returned PB_ERR_FAILED (-1): notebook.store/1 add_note: failed (status -1)", e.Message, StringComparison.Ordinal);
        Assert.StartsWith("aot-summary:", processor.Process(note, new NotebookStore()), StringComparison.Ordinal);
    }

    [Fact]
    public void LoadAll_gives_every_sample_plugin_as_an_INoteProcessor()
    {
        // Without a PluginHost (a NativeAOT host has none): the loader with the generated bindings, then the proxy.
        IReadOnlyList<NativePlugin> plugins = new NativePluginLoader(TestLoaders.Notebook(new NativePluginLoaderOptions())).LoadAll(TestPaths.SamplePlugins, out IReadOnlyList<PluginException> failures);
        try
        {
            Assert.Empty(failures);
            Assert.Contains(plugins, p => p.Id == "c-wordcount");
            Assert.Contains(plugins, p => p.Id == "rust-keywords");
            Assert.Contains(plugins, p => p.Id == "aot-summary");
            var store = new NotebookStore();
            Note note = store.Add(new Note("Mixed", Body));
            foreach (INoteProcessor processor in plugins.Select(NoteProcessorProxy.Create))
            {
                Assert.False(string.IsNullOrWhiteSpace(processor.Process(note, store)));
            }
            Assert.True(note.Metrics.ContainsKey("words"));
            Assert.True(note.Metrics.ContainsKey("unique_words"));
            Assert.True(note.Metrics.ContainsKey("chars"));
        }
        finally
        {
            foreach (NativePlugin plugin in plugins)
            {
                plugin.Dispose();
            }
        }
    }

    [Fact]
    public void LoadAll_takes_the_folders_a_managed_host_skipped_as_native()
    {
        string[] folders = [TestPaths.SamplePlugin("c-wordcount"), Path.Combine(TestPaths.SamplePlugins, "no-such-plugin")];
        IReadOnlyList<NativePlugin> plugins = new NativePluginLoader(TestLoaders.Notebook(new NativePluginLoaderOptions())).LoadAll(folders, out IReadOnlyList<PluginException> failures);
        try
        {
            Assert.Equal("c-wordcount", Assert.Single(plugins).Id);
            Assert.Equal(PluginErrorCode.NativeManifestInvalid, Assert.Single(failures).Code);
        }
        finally
        {
            foreach (NativePlugin plugin in plugins)
            {
                plugin.Dispose();
            }
        }
    }

    [Fact]
    public void Without_the_host_class_tables_the_c_sample_starts_but_no_contract_proxy_can_be_made_over_it()
    {
        // The C sample gets notebook.note/1 as a handle with each process call, so its init asks the host for nothing;
        // a host that offers no note table cannot pass that handle, and the proxy says which table to register.
        using NativePlugin plugin = new NativePluginLoader().Load(TestPaths.SamplePlugin("c-wordcount"));
        Assert.Equal("pong", plugin.Invoke("ping", string.Empty));
        var e = Assert.Throws<PluginException>(() => NoteProcessorProxy.Create(plugin));
        Assert.Equal(PluginErrorCode.NativeHostInterfaceMissing, e.Code);
        Assert.Equal("PB0419", e.CodeText);
        Assert.Equal("c-wordcount", e.PluginId);
        Assert.StartsWith("The host offers no notebook.note/1 table, and notebook.processor/2 passes one as the handle 'note' of Process", e.Cause, StringComparison.Ordinal);
        Assert.StartsWith("Offer notebook.note/1 to the plugin's loader before loading it: NativePluginLoaderOptions.Interfaces.Register(table, layout)", e.Fix, StringComparison.Ordinal);
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
