extern alias generator;

using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using HostBindingsGenerator = generator::Plugboard.Contracts.Generator.HostBindingsGenerator;

namespace Plugboard.Contracts.Tests;

/// <summary>
/// The host-side source generator, run by Roslyn's own driver on compilations that reference the real test APIs (built
/// under tests/Contracts) and Plugboard.Native: it adds exactly what bindgen's emitter writes, reports the model's
/// diagnostics with their ids, and keeps its output cached across an edit of the host's own code.
/// </summary>
public sealed class HostBindingsGeneratorTests
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> Framework = new(() =>
        [.. Directory.GetFiles(Metadata("NetCoreReferenceDirectory"), "*.dll").Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))]);

    private static readonly string[] NativeAssemblies = ["Plugboard.Native.dll", "Plugboard.Core.dll", "Plugboard.Abstractions.dll"];

    [Theory]
    [InlineData("Shapes.Api")]
    [InlineData("Notebook.Api")]
    public void The_generated_source_is_what_bindgen_emits_and_the_host_compiles_with_it(string api)
    {
        string path = api == "Shapes.Api" ? TestApis.Shapes : TestApis.Notebook;
        EmittedFile expected = ContractBindings.Emit(TestApis.Read(path), BindingLanguage.CSharpHost).Single();

        GeneratorRunResult run = Run(Host(path), api, Documentation(path)).Driver.GetRunResult().Results.Single();

        Assert.Null(run.Exception);
        Assert.Empty(run.Diagnostics);
        GeneratedSourceResult source = Assert.Single(run.GeneratedSources);
        Assert.Equal(expected.FileName, source.HintName);
        Assert.Equal(expected.Content, source.SourceText.ToString());
    }

    [Fact]
    public void The_reference_assembly_a_project_reference_compiles_against_gives_the_same_source()
    {
        // The compiler gets obj/<config>/net10.0/ref/Shapes.Api.dll for a ProjectReference, not the bin one.
        string bin = Path.GetDirectoryName(TestApis.Shapes)!;
        string refAssembly = Path.Combine(bin.Replace($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", $"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal), "ref", "Shapes.Api.dll");
        Assert.True(File.Exists(refAssembly), $"{refAssembly} was not built");
        EmittedFile expected = ContractBindings.Emit(TestApis.Read(TestApis.Shapes), BindingLanguage.CSharpHost).Single();

        GeneratorRunResult run = Run(Host(refAssembly), "Shapes.Api", Documentation(TestApis.Shapes)).Driver.GetRunResult().Results.Single();

        Assert.Empty(run.Diagnostics);
        Assert.Equal(expected.Content, Assert.Single(run.GeneratedSources).SourceText.ToString());
    }

    [Fact]
    public void A_host_API_referenced_as_a_compilation_as_the_IDE_does_gives_the_source_of_its_built_image()
    {
        // An IDE passes a referenced project as its compilation, not as a file: the generator reads its metadata-only image.
        CSharpCompilation api = CSharpCompilation.Create(
            "Acme.Api",
            [CSharpSyntaxTree.ParseText("""
                namespace Acme.Api;
                [Plugboard.ExportedInterface("acme.greeter/1")]
                public interface IGreeter { int Add(int a, int b); }
                """)],
            Framework.Value.Add(MetadataReference.CreateFromFile(Path.Combine(AppContext.BaseDirectory, "Plugboard.Abstractions.dll"))),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        CSharpCompilation shapesHost = Host(TestApis.Shapes);
        CSharpCompilation HostOf(MetadataReference reference) => shapesHost.RemoveReferences(shapesHost.References.Single(r => r.Display == TestApis.Shapes)).AddReferences(reference);

        GeneratorRunResult asCompilation = Run(HostOf(api.ToMetadataReference()), "Acme.Api", []).Driver.GetRunResult().Results.Single();
        using var image = new MemoryStream();
        Assert.True(api.Emit(image).Success);
        GeneratorRunResult asImage = Run(HostOf(MetadataReference.CreateFromImage(image.ToArray())), "Acme.Api", []).Driver.GetRunResult().Results.Single();

        string source = Assert.Single(asCompilation.GeneratedSources).SourceText.ToString();
        Assert.Contains("public sealed unsafe class GreeterProxy : global::Acme.Api.IGreeter", source, StringComparison.Ordinal);
        Assert.Equal(Assert.Single(asImage.GeneratedSources).SourceText.ToString(), source);
        Assert.Equal(asImage.Diagnostics.Select(d => d.ToString()), asCompilation.Diagnostics.Select(d => d.ToString()));
    }

    [Fact]
    public void The_output_compiles_into_the_host_without_a_warning()
    {
        (GeneratorDriver _, Compilation output) = Run(Host(TestApis.Shapes), "Shapes.Api", Documentation(TestApis.Shapes));

        Diagnostic[] problems = [.. output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning)];
        Assert.True(problems.Length == 0, string.Join('\n', problems.Select(d => d.ToString())));
        Assert.Contains(output.SyntaxTrees, t => t.ToString().Contains("public sealed unsafe class CanvasProxy : global::Shapes.Api.ICanvas", StringComparison.Ordinal));
    }

    [Fact]
    public void A_host_API_with_unsupported_members_gets_the_models_diagnostics_with_their_ids_and_no_source()
    {
        ContractModel model = TestApis.Read(TestApis.Bad);
        Assert.True(model.HasErrors);

        GeneratorRunResult run = Run(Host(TestApis.Bad), "Bad.Api", Documentation(TestApis.Bad)).Driver.GetRunResult().Results.Single();

        Assert.Empty(run.GeneratedSources);
        Assert.Equal(model.Diagnostics.Select(d => (d.Id, d.Severity == ContractDiagnosticSeverity.Error ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning, $"{d.Member}: {d.Message}")),
            run.Diagnostics.Select(d => (d.Id, d.Severity, d.GetMessage(System.Globalization.CultureInfo.InvariantCulture))));
        Assert.Contains(run.Diagnostics, d => d.Id == ContractDiagnosticIds.UnsupportedShape);
        Assert.Contains(run.Diagnostics, d => d.Id == ContractDiagnosticIds.UnsupportedMember);
    }

    [Fact]
    public void A_host_API_the_project_does_not_reference_is_PLUGBOARD018()
    {
        GeneratorRunResult run = Run(Host(TestApis.Shapes), "Acme.Missing", []).Driver.GetRunResult().Results.Single();

        Assert.Empty(run.GeneratedSources);
        Diagnostic error = Assert.Single(run.Diagnostics);
        Assert.Equal(ContractDiagnosticIds.HostApiNotReferenced, error.Id);
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        Assert.Contains("'Acme.Missing'", error.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void A_host_API_whose_documentation_cannot_be_read_is_PLUGBOARD019_naming_it_and_no_source()
    {
        // The XML documentation the compiler wrote, cut short: the thread rules and ownership it carries cannot be read.
        string xml = Path.ChangeExtension(TestApis.Shapes, ".xml");
        AdditionalText[] broken = [new InMemoryText(xml, File.ReadAllText(xml)[..200])];

        GeneratorRunResult run = Run(Host(TestApis.Shapes), "Shapes.Api", broken).Driver.GetRunResult().Results.Single();

        Assert.Empty(run.GeneratedSources);
        Diagnostic error = Assert.Single(run.Diagnostics);
        Assert.Equal(ContractDiagnosticIds.HostApiUnreadable, error.Id);
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        string message = error.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains("The host API '", message, StringComparison.Ordinal);
        Assert.Contains("cannot be read", message, StringComparison.Ordinal);
        Assert.Contains("Reference the host API's built assembly and its XML documentation as the compiler writes them", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_host_without_unsafe_code_or_Plugboard_Native_is_PLUGBOARD020_naming_both()
    {
        CSharpCompilation host = Host(TestApis.Shapes, native: false).WithOptions(new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: false));

        GeneratorRunResult run = Run(host, "Shapes.Api", Documentation(TestApis.Shapes)).Driver.GetRunResult().Results.Single();

        Assert.Empty(run.GeneratedSources);
        Diagnostic error = Assert.Single(run.Diagnostics);
        Assert.Equal(ContractDiagnosticIds.HostProjectIncomplete, error.Id);
        string message = error.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains("Plugboard.Native", message, StringComparison.Ordinal);
        Assert.Contains("AllowUnsafeBlocks", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_project_that_names_no_host_API_gets_nothing()
    {
        GeneratorRunResult run = Run(Host(TestApis.Shapes), hostApi: null, []).Driver.GetRunResult().Results.Single();

        Assert.Empty(run.GeneratedSources);
        Assert.Empty(run.Diagnostics);
    }

    [Fact]
    public void The_thread_rules_come_from_the_documentation_additional_file()
    {
        // Without Shapes.Api.xml the model has no thread rules: bindgen warns PLUGBOARD015 for the same assembly copied alone.
        GeneratorRunResult run = Run(Host(TestApis.Shapes), "Shapes.Api", []).Driver.GetRunResult().Results.Single();

        Assert.Contains(run.Diagnostics, d => d.Id == ContractDiagnosticIds.MissingThreadRule && d.Severity == DiagnosticSeverity.Warning);
    }

    [Fact]
    public void An_edit_of_the_hosts_own_code_reuses_the_cached_model_and_source()
    {
        CSharpCompilation host = Host(TestApis.Shapes);
        (GeneratorDriver driver, Compilation _) = Run(host, "Shapes.Api", Documentation(TestApis.Shapes));

        CSharpCompilation edited = host.AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace Host; public static class Edited { public static int Answer => 42; }"));
        GeneratorRunResult second = driver.RunGenerators(edited).GetRunResult().Results.Single();

        ImmutableArray<IncrementalGeneratorRunStep> read = second.TrackedSteps[HostBindingsGenerator.BindingsStep];
        Assert.All(read.SelectMany(step => step.Outputs), output => Assert.Equal(IncrementalStepRunReason.Cached, output.Reason));
        Assert.All(second.TrackedSteps[HostBindingsGenerator.HostApiStep].SelectMany(step => step.Outputs), output => Assert.Equal(IncrementalStepRunReason.Cached, output.Reason));
        Assert.All(second.TrackedOutputSteps.SelectMany(step => step.Value).SelectMany(step => step.Outputs), output => Assert.Equal(IncrementalStepRunReason.Cached, output.Reason));
        Assert.Single(second.GeneratedSources);
    }

    [Fact]
    public void A_changed_host_API_reference_is_read_again()
    {
        CSharpCompilation host = Host(TestApis.Shapes);
        AdditionalText[] documentation = Documentation(TestApis.Shapes);
        (GeneratorDriver driver, Compilation _) = Run(host, "Shapes.Api", documentation);

        // The appended build of the same API (and its documentation): a new reference, a new model, a new source.
        CSharpCompilation changed = host.RemoveReferences(host.References.Single(r => r.Display == TestApis.Shapes)).AddReferences(MetadataReference.CreateFromFile(TestApis.ShapesAppended));
        AdditionalText[] appendedDocumentation = Documentation(TestApis.ShapesAppended);
        driver = driver.ReplaceAdditionalText(documentation[0], appendedDocumentation[0]).WithUpdatedAnalyzerConfigOptions(new BuildOptions("Shapes.Api", appendedDocumentation));
        GeneratorRunResult second = driver.RunGenerators(changed).GetRunResult().Results.Single();

        Assert.Contains(second.TrackedSteps[HostBindingsGenerator.BindingsStep].SelectMany(step => step.Outputs), output => output.Reason == IncrementalStepRunReason.Modified);
        Assert.Equal(ContractBindings.Emit(TestApis.Read(TestApis.ShapesAppended), BindingLanguage.CSharpHost).Single().Content, Assert.Single(second.GeneratedSources).SourceText.ToString());
    }

    private static CSharpCompilation Host(string apiPath, bool native = true)
    {
        string bin = AppContext.BaseDirectory;
        IEnumerable<string> references = native ? [apiPath, .. NativeAssemblies.Select(f => Path.Combine(bin, f))] : [apiPath];
        return CSharpCompilation.Create(
            "Host",
            [CSharpSyntaxTree.ParseText("namespace Host; public static class Program { public static int Main() => 0; }", CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Latest))],
            Framework.Value.AddRange(references.Select(r => (MetadataReference)MetadataReference.CreateFromFile(r))),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable, warningLevel: 9999));
    }

    private static AdditionalText[] Documentation(string apiPath)
    {
        string xml = Path.ChangeExtension(apiPath, ".xml");
        Assert.True(File.Exists(xml), $"{xml} was not built");
        return [new FileText(xml)];
    }

    private static (GeneratorDriver Driver, Compilation Output) Run(CSharpCompilation host, string? hostApi, AdditionalText[] documentation)
    {
        var options = new BuildOptions(hostApi, documentation);
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            [new HostBindingsGenerator().AsSourceGenerator()],
            documentation,
            (CSharpParseOptions)host.SyntaxTrees[0].Options,
            options,
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        driver = driver.RunGeneratorsAndUpdateCompilation(host, out Compilation output, out _);
        return (driver, output);
    }

    private static string Metadata(string key) =>
        typeof(HostBindingsGeneratorTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    // An additional file whose text is not the file's.
    private sealed class InMemoryText(string path, string text) : AdditionalText
    {
        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
    }

    // An additional file as the compiler passes it: its path and text.
    private sealed class FileText(string path) : AdditionalText
    {
        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(File.ReadAllText(Path));
    }

    // What the package's props and targets make compiler-visible: the property, and the documentation file's metadata.
    private sealed class BuildOptions(string? hostApi, AdditionalText[] documentation) : AnalyzerConfigOptionsProvider
    {
        private static readonly Options None = new([]);

        public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(hostApi is null ? [] : new() { ["build_property." + HostBindingsGenerator.HostApiProperty] = hostApi });

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => None;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) =>
            documentation.Contains(textFile) ? new Options(new() { ["build_metadata.AdditionalFiles." + HostBindingsGenerator.DocumentationMetadata] = "true" }) : None;
    }

    private sealed class Options(Dictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
    }
}
