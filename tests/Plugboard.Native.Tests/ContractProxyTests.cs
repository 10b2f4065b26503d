using System.Text.Json.Nodes;
using Notebook.Api;
using Notebook.Api.Native;
using INoteProcessor = Notebook.Api.INoteProcessor;
using Plugboard.Contracts;
using Plugboard.Contracts.Bindings;

namespace Plugboard.Native.Tests;

/// <summary>
/// A C plugin and a Rust plugin that implement the sample contract (notebook.processor/2, <see cref="INoteProcessor"/>
/// itself) on the bindings bindgen emits from Notebook.Api, loaded by <c>PluginHost&lt;INoteProcessor&gt;</c> beside a
/// managed sample plugin and called through <see cref="INoteProcessor.Process"/>: the host's adapter is the generated
/// <see cref="NoteProcessorProxy"/> (their invoke answers nothing), which passes the host's own note and store as
/// handles to notebook.note/1 and notebook.store/1.
/// </summary>
[Collection(SamplePluginsCollection.Name)]
public sealed class ContractProxyTests
{
    private const string Body = "Plugins plugins everywhere. The host loads plugins, and plugins call the host back.";

    [Fact]
    public async Task A_C_plugin_implementing_the_contract_is_called_through_INoteProcessor_beside_a_managed_plugin()
    {
        string root = TestPaths.NewTempDirectory("contract-proxy");
        ContractModel model = ContractReader.Read(typeof(INoteProcessor).Assembly.Location);
        BuildContractPlugin(root, "c-contract", model, processorHash: null);
        BuildContractPlugin(root, "c-contract-old", model, processorHash: 0x0123456789abcdefUL);
        CopyFolder(TestPaths.SamplePlugin("WordStats"), Path.Combine(root, "WordStats"));

        var options = new PluginHostOptions();
        TestLoaders.Notebook(options.NativePlugins);
        options.NativePlugins.ShadowCopyDirectory = Path.Combine(TestPaths.ArtifactsRoot, "tests", "shadow");
        options.AddNativeAdapter<INoteProcessor>(NoteProcessorProxy.Create);
        await using var host = new PluginHost<INoteProcessor>(options);

        PluginLoadResult<INoteProcessor> result = await host.LoadAllAsync(host.Discover(root));

        // Built against another layout of the contract: refused before its library opened, naming the member.
        PluginFailure refused = Assert.Single(result.Failed);
        Assert.Equal("c-contract-old", refused.Entry.Id);
        Assert.Equal(PluginErrorCode.NativeInterfaceLayoutMismatch, refused.Error.Code);
        Assert.Contains("another layout of 'notebook.processor/2' than this host's: member #1, Name { get; } (hash 0x", refused.Error.Message, StringComparison.Ordinal);

        Assert.Equal(["WordStats", "c-contract"], result.Loaded.Select(p => p.Id).Order(StringComparer.Ordinal));
        LoadedPlugin<INoteProcessor> native = Assert.Single(result.Loaded, p => p.Id == "c-contract");
        Assert.Equal(PluginKind.Native, native.Entry.Kind);
        Assert.True(native.Invoke(p => p is NoteProcessorProxy), "the C plugin is called through the generated proxy");
        Assert.Equal("Contract (C)", native.Invoke(p => p.Name));

        var store = new NotebookStore();
        Note note = store.Add(new Note("Plugins", Body));
        note.Tags.Add("draft");
        var reports = result.Loaded.OrderBy(p => p.Id, StringComparer.Ordinal).Select(p => p.Invoke(processor => processor.Process(note, store))).ToList();

        int words = TextTools.CountWords(Body);
        Note added = Assert.Single(store.Notes, n => n.Id != note.Id);
        Assert.Equal($"{words} words, {TextTools.Tokenize(Body).Distinct(StringComparer.Ordinal).Count()} unique", reports[0]);
        Assert.Equal($"c-contract: note #{note.Id} 'Plugins' (1 tags before) has {words} words; added note #{added.Id}", reports[1]);
        Assert.Equal(words, note.Metrics["contract_words"]);
        Assert.Equal(words, note.Metrics["words"]); // WordStats, the managed plugin
        Assert.True(note.Tags.Contains("c-contract"), note.Tags.ToString());
        Assert.Equal("Seen: Plugins", added.Title);
        Assert.Equal("Contract (C)", added.Author);

        // A failing status is a typed error with the plugin's own message; the plugin and the host keep working.
        Note failing = store.Add(new Note("fail", "no"));
        PluginException error = Assert.Throws<PluginException>(() => native.Invoke(p => p.Process(failing, store)));
        Assert.Equal(PluginErrorCode.NativeCallFailed, error.Code);
        Assert.Contains("notebook.processor/2 process of plugin 'Contract (C)' returned PB_ERR_FAILED (-1): c-contract refuses notes titled 'fail'", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("c-contract: note #", native.Invoke(p => p.Process(note, store)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Rust_plugin_implementing_the_generated_trait_is_called_through_INoteProcessor_and_its_errors_and_panics_are_typed()
    {
        string root = TestPaths.NewTempDirectory("contract-rust");
        BuildRustContractPlugin(root, "rust-contract", ContractReader.Read(typeof(INoteProcessor).Assembly.Location));
        CopyFolder(TestPaths.SamplePlugin("WordStats"), Path.Combine(root, "WordStats"));

        var options = new PluginHostOptions();
        TestLoaders.Notebook(options.NativePlugins);
        options.AddNativeAdapter<INoteProcessor>(NoteProcessorProxy.Create);
        await using var host = new PluginHost<INoteProcessor>(options);

        PluginLoadResult<INoteProcessor> result = await host.LoadAllAsync(host.Discover(root));

        Assert.Empty(result.Failed);
        Assert.Equal(["WordStats", "rust-contract"], result.Loaded.Select(p => p.Id).Order(StringComparer.Ordinal));
        LoadedPlugin<INoteProcessor> native = Assert.Single(result.Loaded, p => p.Id == "rust-contract");
        Assert.True(native.Invoke(p => p is NoteProcessorProxy), "the Rust plugin is called through the generated proxy");
        Assert.Equal("Contract (Rust)", native.Invoke(p => p.Name));

        var store = new NotebookStore();
        Note note = store.Add(new Note("Plugins", Body));
        note.Tags.Add("draft");
        var reports = result.Loaded.OrderBy(p => p.Id, StringComparer.Ordinal).Select(p => p.Invoke(processor => processor.Process(note, store))).ToList();

        int words = TextTools.CountWords(Body);
        Note added = Assert.Single(store.Notes, n => n.Id != note.Id);
        Assert.Equal($"{words} words, {TextTools.Tokenize(Body).Distinct(StringComparer.Ordinal).Count()} unique", reports[0]);
        Assert.Equal($"rust-contract: note #{note.Id} 'Plugins' (1 tags before) has {words} words; added note #{added.Id}; call 1", reports[1]);
        Assert.Equal(words, note.Metrics["contract_words"]);
        Assert.True(note.Tags.Contains("rust-contract"), note.Tags.ToString());
        Assert.Equal("Seen: Plugins", added.Title);
        Assert.Equal("Contract (Rust)", added.Author);

        // An Err is a typed error with the plugin's own message, and so is a panic (caught by the SDK); the plugin's
        // one instance keeps its state and keeps working.
        PluginException error = Assert.Throws<PluginException>(() => native.Invoke(p => p.Process(store.Add(new Note("fail", "no")), store)));
        Assert.Equal(PluginErrorCode.NativeCallFailed, error.Code);
        Assert.Contains("notebook.processor/2 process of plugin 'Contract (Rust)' returned PB_ERR_FAILED (-1): rust-contract refuses notes titled 'fail'", error.Message, StringComparison.Ordinal);
        PluginException panic = Assert.Throws<PluginException>(() => native.Invoke(p => p.Process(store.Add(new Note("panic", "no")), store)));
        Assert.Equal(PluginErrorCode.NativeCallFailed, panic.Code);
        Assert.Contains("panic in notebook.processor/2 process: rust-contract panics on notes titled 'panic'", panic.Message, StringComparison.Ordinal);
        Assert.EndsWith("; call 4", native.Invoke(p => p.Process(note, store)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_plugin_without_the_contract_table_or_with_a_truncated_one_is_a_typed_error_naming_it()
    {
        string root = TestPaths.NewTempDirectory("contract-missing");
        BuildContractPlugin(root, "c-contract", ContractReader.Read(typeof(INoteProcessor).Assembly.Location), processorHash: null, "CONTRACT_TABLE_SIZE=8");
        var loader = new NativePluginLoader(TestLoaders.Notebook(TestLoaders.Options()));

        using NativePlugin echo = loader.Load(TestPaths.TestPlugin("echo"));
        PluginException missing = Assert.Throws<PluginException>(() => NoteProcessorProxy.Create(echo));
        Assert.Equal(PluginErrorCode.NativeRequiredFunctionMissing, missing.Code);
        Assert.Contains("The plugin serves no 'notebook.processor/2' table (its get_interface returns NULL for it)", missing.Message, StringComparison.Ordinal);

        // Its table declares 8 bytes: the proxy checks struct_size before calling, and refuses instead of reading past it.
        using NativePlugin plugin = loader.Load(Path.Combine(root, "c-contract"));
        NoteProcessorProxy truncated = NoteProcessorProxy.Create(plugin);
        PluginException noName = Assert.Throws<PluginException>(() => truncated.Name);
        Assert.Contains("The plugin's 'notebook.processor/2' table (8 bytes) has no function get_name", noName.Message, StringComparison.Ordinal);
        var store = new NotebookStore();
        Note note = store.Add(new Note("Plugins", Body));
        PluginException old = Assert.Throws<PluginException>(() => truncated.Process(note, store));
        Assert.Equal(PluginErrorCode.NativeRequiredFunctionMissing, old.Code);
        Assert.Contains("The plugin's 'notebook.processor/2' table (8 bytes) has no function process", old.Message, StringComparison.Ordinal);
    }

    /// <summary>c_contract.c compiled against the header emitted from <paramref name="model"/>, its plugin.json recording the emitted hashes (or a wrong one for the contract).</summary>
    private static void BuildContractPlugin(string root, string id, ContractModel model, ulong? processorHash, params string[] defines)
    {
        string include = Path.Combine(root, "..", Path.GetFileName(root) + "-" + id + "-include");
        Directory.CreateDirectory(include);
        foreach (EmittedFile file in ContractBindings.Emit(model, BindingLanguage.C))
        {
            File.WriteAllText(Path.Combine(include, file.FileName), file.Content);
        }
        string folder = Directory.CreateDirectory(Path.Combine(root, id)).FullName;
        NativeToolchain.CompileC(Path.Combine(AppContext.BaseDirectory, "GeneratedBindings", "c_contract.c"), include, Path.Combine(folder, "libc-contract.so"), defines);
        JsonObject interfaces = JsonNode.Parse(ContractBindings.EmitManifestInterfaces(model).Content)!["interfaces"]!.AsObject();
        if (processorHash is ulong hash)
        {
            interfaces[NoteProcessorProxy.Id] = new JsonArray("0x" + hash.ToString("x16", System.Globalization.CultureInfo.InvariantCulture), "0x" + hash.ToString("x16", System.Globalization.CultureInfo.InvariantCulture));
        }
        var native = new JsonObject { ["abiMajor"] = 1, ["libraries"] = new JsonObject { ["linux-x64"] = "libc-contract.so" }, ["interfaces"] = interfaces.DeepClone() };
        File.WriteAllText(Path.Combine(folder, "plugin.json"), new JsonObject { ["id"] = id, ["version"] = "1.0.0", ["kind"] = "native", ["native"] = native }.ToJsonString());
    }

    /// <summary>rust_contract.rs on the module emitted from <paramref name="model"/> and the SDK crate, its plugin.json recording the emitted hashes.</summary>
    private static void BuildRustContractPlugin(string root, string id, ContractModel model)
    {
        string source = Path.Combine(root, "..", Path.GetFileName(root) + "-" + id + "-src");
        Directory.CreateDirectory(source);
        foreach (EmittedFile file in ContractBindings.Emit(model, BindingLanguage.Rust))
        {
            File.WriteAllText(Path.Combine(source, file.FileName), file.Content);
        }
        File.Copy(Path.Combine(AppContext.BaseDirectory, "GeneratedBindings", "rust_contract.rs"), Path.Combine(source, "lib.rs"));
        string sdk = Path.Combine(source, "sdk");
        Directory.CreateDirectory(sdk);
        NativeToolchain.Run("rustc", "--edition", "2024", "--crate-type", "rlib", "--crate-name", "plugboard", Path.Combine(TestPaths.RepoRoot, "native", "rust", "plugboard", "src", "lib.rs"), "-o", Path.Combine(sdk, "libplugboard.rlib"));
        string folder = Directory.CreateDirectory(Path.Combine(root, id)).FullName;
        NativeToolchain.Run("rustc", "--edition", "2024", "--crate-type", "cdylib", "--crate-name", "rust_contract", "-C", "panic=unwind", Path.Combine(source, "lib.rs"),
            "--extern", $"plugboard={Path.Combine(sdk, "libplugboard.rlib")}", "-L", sdk, "-o", Path.Combine(folder, "librust_contract.so"));
        JsonObject interfaces = JsonNode.Parse(ContractBindings.EmitManifestInterfaces(model).Content)!["interfaces"]!.AsObject();
        var native = new JsonObject { ["abiMajor"] = 1, ["libraries"] = new JsonObject { ["linux-x64"] = "librust_contract.so" }, ["interfaces"] = interfaces.DeepClone() };
        File.WriteAllText(Path.Combine(folder, "plugin.json"), new JsonObject { ["id"] = id, ["version"] = "1.0.0", ["kind"] = "native", ["native"] = native }.ToJsonString());
    }

    private static void CopyFolder(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (string file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }
    }
}
