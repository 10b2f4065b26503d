using Notebook.Api;
using Notebook.Api.Native;
using Plugboard.Contracts;
using Plugboard.Contracts.Bindings;

namespace Plugboard.Native.Tests;

/// <summary>
/// Plugins built on the bindings bindgen emits from Notebook.Api at test time (no hand-written mirror of any table)
/// implement notebook.processor/2 and change the host's own note and store through the handles the generated
/// <see cref="NoteProcessorProxy"/> passes: the C sample compiled against the header emitted from Notebook.Api today, a
/// Rust plugin on the emitted module, and a NativeAOT C# plugin on the emitted C# file.
/// </summary>
// The NativeAOT test loads a second runtime: one at a time with the other tests that do (SamplePluginsCollection).
[Collection(SamplePluginsCollection.Name)]
public sealed class GeneratedBindingsPluginTests
{
    private const string Body = "Plugins plugins everywhere. The host loads plugins, and plugins call the host back.";

    [Fact]
    public void The_C_sample_built_on_the_emitted_header_counts_words_and_tags_the_note_through_the_host()
    {
        string directory = TestPaths.NewTempDirectory("generated-header");
        ContractModel model = ContractReader.Read(typeof(Note).Assembly.Location);
        Assert.False(model.HasErrors, string.Join('\n', model.Diagnostics));
        string include = Path.Combine(directory, "include");
        Directory.CreateDirectory(include);
        foreach (EmittedFile file in ContractBindings.Emit(model, BindingLanguage.C))
        {
            File.WriteAllText(Path.Combine(include, file.FileName), file.Content);
        }
        string plugin = Path.Combine(directory, "c-wordcount");
        Directory.CreateDirectory(plugin);
        string sample = Path.Combine(TestPaths.RepoRoot, "samples", "native", "c-wordcount");
        File.Copy(Path.Combine(sample, "plugin.json"), Path.Combine(plugin, "plugin.json"));
        NativeToolchain.CompileC(Path.Combine(sample, "plugin.c"), include, Path.Combine(plugin, "libc-wordcount.so"));

        using NativePlugin loaded = new NativePluginLoader(TestLoaders.Notebook(TestLoaders.Options())).Load(plugin);
        var store = new NotebookStore();
        Note note = store.Add(new Note("Plugins", Body));
        string report = NoteProcessorProxy.Create(loaded).Process(note, store);

        Assert.Equal(TextTools.CountWords(Body), note.Metrics["words"]);
        Assert.True(note.Tags.Contains("short"));
        Assert.Equal($"c-wordcount: {TextTools.CountWords(Body)} words, tagged 'short'", report);
    }

    [Fact]
    public void A_Rust_plugin_on_the_emitted_module_reads_tags_measures_and_adds_a_note_through_the_host()
    {
        string directory = TestPaths.NewTempDirectory("generated-rust");
        ContractModel model = ContractReader.Read(typeof(Note).Assembly.Location);
        string source = Path.Combine(directory, "src");
        Directory.CreateDirectory(source);
        foreach (EmittedFile file in ContractBindings.Emit(model, BindingLanguage.Rust))
        {
            File.WriteAllText(Path.Combine(source, file.FileName), file.Content);
        }
        File.Copy(Path.Combine(AppContext.BaseDirectory, "GeneratedBindings", "rust_generated.rs"), Path.Combine(source, "lib.rs"));
        string sdk = Path.Combine(directory, "sdk");
        Directory.CreateDirectory(sdk);
        NativeToolchain.Run("rustc", "--edition", "2024", "--crate-type", "rlib", "--crate-name", "plugboard", Path.Combine(TestPaths.RepoRoot, "native", "rust", "plugboard", "src", "lib.rs"), "-o", Path.Combine(sdk, "libplugboard.rlib"));
        string plugin = Path.Combine(directory, "rust-generated");
        Directory.CreateDirectory(plugin);
        NativeToolchain.Run("rustc", "--edition", "2024", "--crate-type", "cdylib", "--crate-name", "rust_generated", "-C", "panic=unwind", Path.Combine(source, "lib.rs"),
            "--extern", $"plugboard={Path.Combine(sdk, "libplugboard.rlib")}", "-L", sdk, "-o", Path.Combine(plugin, "librust_generated.so"));
        File.WriteAllText(Path.Combine(plugin, "plugin.json"), """
            { "id": "rust-generated", "version": "1.0.0", "kind": "native", "native": { "abiMajor": 1, "libraries": { "linux-x64": "librust_generated.so" } } }
            """);

        using NativePlugin loaded = new NativePluginLoader(TestLoaders.Notebook(TestLoaders.Options())).Load(plugin);
        NoteProcessorProxy processor = NoteProcessorProxy.Create(loaded);
        var store = new NotebookStore();
        Note note = store.Add(new Note("Plugins", Body));
        string report = processor.Process(note, store);

        Assert.Equal("Generated bindings (Rust)", processor.Name);
        int words = TextTools.CountWords(Body);
        Assert.Equal(words, note.Metrics["generated_words"]);
        Assert.True(note.Tags.Contains("rust-generated"), note.Tags.ToString());
        Note added = Assert.Single(store.Notes, n => n.Id != note.Id);
        Assert.Equal("Seen: Plugins", added.Title);
        Assert.Equal("Generated bindings (Rust)", added.Author);
        Assert.Equal($"rust-generated: note #{note.Id} 'Plugins' has {words} words; added note #{added.Id}", report);
    }

    [Fact]
    public void A_NativeAot_plugin_on_the_emitted_CSharp_reads_tags_measures_and_adds_a_note_through_the_host()
    {
        // Under artifacts/ (inside the repository), so the repository's build settings apply; published isolated like the samples.
        string project = TestPaths.NewTempDirectory("generated-aot");
        ContractModel model = ContractReader.Read(typeof(Note).Assembly.Location);
        foreach (EmittedFile file in ContractBindings.Emit(model, BindingLanguage.CSharp))
        {
            File.WriteAllText(Path.Combine(project, file.FileName), file.Content);
        }
        File.Copy(Path.Combine(AppContext.BaseDirectory, "GeneratedBindings", "AotGenerated.cs"), Path.Combine(project, "AotGenerated.cs"));
        File.WriteAllText(Path.Combine(project, "AotGenerated.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <PublishAot>true</PublishAot>
                <AllowUnsafeBlocks>true</AllowUnsafeBlocks>
                <IsPackable>false</IsPackable>
                <InvariantGlobalization>true</InvariantGlobalization>
                <GenerateDocumentationFile>false</GenerateDocumentationFile>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="{Path.Combine(TestPaths.RepoRoot, "src", "Plugboard.Native.Aot", "Plugboard.Native.Aot.csproj")}" />
              </ItemGroup>
            </Project>
            """);
        string plugin = Path.Combine(project, "aot-generated");
        NativeToolchain.Run("dotnet", "publish", Path.Combine(project, "AotGenerated.csproj"), "-c", "Release", "-r", "linux-x64", "-p:NativeLib=Shared", "-p:PbIsolatedBuild=aot-generated", "-o", plugin, "-nologo", "-nodeReuse:false", "-v:q");
        File.WriteAllText(Path.Combine(plugin, "plugin.json"), """
            { "id": "aot-generated", "version": "1.0.0", "kind": "native", "native": { "abiMajor": 1, "libraries": { "linux-x64": "AotGenerated.so" } } }
            """);

        using NativePlugin loaded = TestLoaders.LoadSample(plugin);
        NoteProcessorProxy processor = NoteProcessorProxy.Create(loaded);
        var store = new NotebookStore();
        Note note = store.Add(new Note("Plugins", Body));
        string report = processor.Process(note, store);

        Assert.Equal("Generated bindings (NativeAOT C#)", processor.Name);

        int words = TextTools.CountWords(Body);
        Assert.Equal(words, note.Metrics["generated_words"]);
        Assert.True(note.Tags.Contains("aot-generated"), note.Tags.ToString());
        Note added = Assert.Single(store.Notes, n => n.Id != note.Id);
        Assert.Equal("Seen: Plugins", added.Title);
        Assert.Equal("Generated bindings (NativeAOT C#)", added.Author);
        Assert.Equal($"aot-generated: note #{note.Id} 'Plugins' has {words} words; added note #{added.Id}", report);
    }
}
