using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Plugboard.Contracts.Tests;

/// <summary>
/// The emitted C# for NativeAOT plugins, compiled by Roslyn against the framework's reference assemblies with every
/// warning reported, and run in this process: an implementation served through the generated tables answers the
/// generated clients through real unmanaged function pointers.
/// </summary>
public sealed class CSharpBindingTests
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> Framework = new(() =>
        [.. Directory.GetFiles(Metadata("NetCoreReferenceDirectory"), "*.dll").Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))]);

    [Fact]
    public void The_emitted_files_compile_without_a_warning()
    {
        foreach (string api in new[] { TestApis.Notebook, TestApis.Shapes })
        {
            EmittedFile file = ContractBindings.Emit(TestApis.Read(api), BindingLanguage.CSharp).Single();

            Compile(file.Content);
        }
    }

    [Fact]
    public void An_implementation_served_through_the_generated_table_answers_the_generated_client_and_refuses_bad_input()
    {
        EmittedFile file = ContractBindings.Emit(TestApis.Read(TestApis.Shapes), BindingLanguage.CSharp).Single();
        Assert.Equal("ShapesApi.Native.cs", file.FileName);
        byte[] image = Compile(file.Content, File.ReadAllText(Toolchain.NativeSource("CanvasDriver.cs")));

        var context = new AssemblyLoadContext("csharp-bindings", isCollectible: true);
        List<string> lines;
        try
        {
            Assembly assembly = context.LoadFromStream(new MemoryStream(image));
            lines = (List<string>)assembly.GetType("CanvasDriver", throwOnError: true)!.GetMethod("Run")!.Invoke(null, null)!;
        }
        finally
        {
            context.Unload();
        }

        ContractInterface canvas = TestApis.Read(TestApis.Shapes).FindInterface("shapes.canvas/1")!;
        Assert.Equal(
        [
            "describe: canvas 'Sketch' ü",
            "sum: 11",
            "fill: 1, 2, 3, 4",
            "count_positive: 2",
            "center: 15 23 size 24",
            "is_empty: True",
            "is_empty after set_visible: False",
            "mood: Busy",
            "snapshot: 1, 2, 3, 255",
            "checksum: 301",
            "strokes: 2",
            "scale: 2.5",
            "error status: -2",
            "error set_error: -2 shapes.canvas/1 set_title: empty title (status -2)",
            "exception status: -1",
            "exception set_error: -1 shapes.canvas/1 set_scale: unhandled System.InvalidOperationException: scale too large",
            "invalid utf8: -5",
            "null with length: -2",
            "bad input set_error: -5 shapes.canvas/1 set_title argument: a string was not UTF-8 (status -5) | -2 shapes.canvas/1 set_title argument: a span is NULL with a non-zero length, or too long (status -2)",
            "null context: -2",
            "struct too small: -2",
            "span element of another size: -2",
            "bool not 0 or 1: -2",
            "null out pointer: -2",
            "older rect: 0",
            "older rect center: 10 0",
            "old table describe: True",
            "old table sum: -3 shapes.canvas/1 sum: the shapes.canvas/1 table (24 bytes) has no function sum: the other side was built against an older minor (status -3)",
            $"hashes: 14 {LayoutHash.Format(canvas.LayoutHash)}",
        ], lines);
    }

    private static byte[] Compile(params string[] sources) => CompileWith([], sources);

    internal static byte[] CompileWith(IEnumerable<string> references, params string[] sources)
    {
        CSharpParseOptions parse = CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Latest);
        var compilation = CSharpCompilation.Create(
            "Bindings" + Guid.NewGuid().ToString("N"),
            sources.Select(s => CSharpSyntaxTree.ParseText(s, parse)),
            Framework.Value.AddRange(references.Select(r => (MetadataReference)MetadataReference.CreateFromFile(r))),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable, warningLevel: 9999));
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream);
        Diagnostic[] problems = [.. result.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning)];
        Assert.True(result.Success && problems.Length == 0, string.Join('\n', problems.Select(d => d.ToString())));
        return stream.ToArray();
    }

    private static string Metadata(string key) =>
        typeof(CSharpBindingTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}

/// <summary>The Notebook bridge serves notebook.notes/1 from the file bindgen emits, not from a hand-written table.</summary>
public sealed class SampleBindingsTests
{
    [Fact]
    public void The_Notebook_bridge_serves_its_notes_table_from_the_file_bindgen_emits_from_Notebook_Api_today()
    {
        EmittedFile file = ContractBindings.Emit(TestApis.Read(TestApis.Notebook), BindingLanguage.CSharp).Single();
        string checkedIn = Path.Combine(TestApis.RepoRoot, "samples", "Notebook.NativeBridge", "Generated", file.FileName);

        // Regenerate with: plugboard bindgen samples/Notebook.Api/bin/Debug/net10.0/Notebook.Api.dll --lang csharp-aot --out samples/Notebook.NativeBridge/Generated
        Assert.True(File.Exists(checkedIn), $"{checkedIn} is missing");
        Assert.Equal(file.Content, File.ReadAllText(checkedIn));
    }

    [Fact]
    public void The_C_sample_builds_on_the_header_and_hashes_bindgen_emits_from_Notebook_Api_today()
    {
        ContractModel model = TestApis.Read(TestApis.Notebook);
        string generated = Path.Combine(TestApis.RepoRoot, "samples", "Notebook.NativeBridge", "Generated");

        // Regenerate with: plugboard bindgen samples/Notebook.Api/bin/Debug/net10.0/Notebook.Api.dll --lang c --out samples/Notebook.NativeBridge/Generated
        foreach (EmittedFile file in ContractBindings.Emit(model, BindingLanguage.C).Append(ContractBindings.EmitManifestInterfaces(model)))
        {
            string checkedIn = Path.Combine(generated, file.FileName);
            Assert.True(File.Exists(checkedIn), $"{checkedIn} is missing");
            Assert.Equal(file.Content, File.ReadAllText(checkedIn));
        }
        // The C sample's plugin.json gets them from the build (NotebookBridgeTests checks the manifest it writes).
    }

    [Fact]
    public void The_Rust_sample_builds_on_the_module_bindgen_emits_from_Notebook_Api_today()
    {
        ContractModel model = TestApis.Read(TestApis.Notebook);
        EmittedFile file = ContractBindings.Emit(model, BindingLanguage.Rust).Single();
        string checkedIn = Path.Combine(TestApis.RepoRoot, "samples", "native", "rust-keywords", "src", file.FileName);

        // Regenerate with: plugboard bindgen samples/Notebook.Api/bin/Debug/net10.0/Notebook.Api.dll --lang rust --out samples/native/rust-keywords/src
        // (and delete the notebook_api.interfaces.json it writes there: the sample's plugin.json holds that section).
        Assert.True(File.Exists(checkedIn), $"{checkedIn} is missing");
        Assert.Equal(file.Content, File.ReadAllText(checkedIn));
        // The sample's plugin.json gets the hashes from the build (NotebookBridgeTests checks the manifest it writes).
    }

    [Fact]
    public void The_Notebook_bridge_gets_its_proxies_from_the_source_generator_not_a_checked_in_copy()
    {
        // HostBindingsGeneratorTests proves the generator adds what bindgen emits; the Native tests call the sample's
        // plugins through the proxy it generates into Notebook.NativeBridge.
        string generated = Path.Combine(TestApis.RepoRoot, "samples", "Notebook.NativeBridge", "Generated");
        Assert.False(File.Exists(Path.Combine(generated, "NotebookApi.Proxies.cs")), "the host side is generated at build time; a checked-in copy would compile twice");
        string project = File.ReadAllText(Path.Combine(TestApis.RepoRoot, "samples", "Notebook.NativeBridge", "Notebook.NativeBridge.csproj"));
        Assert.Contains("<PlugboardNativeHostApi>Notebook.Api</PlugboardNativeHostApi>", project, StringComparison.Ordinal);
    }
}

/// <summary>
/// The host proxies (<c>bindgen --lang csharp-host</c>) of an API with every shape compile against the API itself and
/// Plugboard.Native at the highest warning level without a warning; a member a proxy cannot pass is refused by name.
/// </summary>
public sealed class HostProxyBindingTests
{
    [Fact]
    public void The_proxies_of_every_shape_compile_without_a_warning_implementing_the_API_interfaces()
    {
        EmittedFile file = ContractBindings.Emit(TestApis.Read(TestApis.Shapes), BindingLanguage.CSharpHost).Single();

        Assert.Equal("ShapesApi.Proxies.cs", file.FileName);
        Assert.Contains("public sealed unsafe class CanvasProxy : global::Shapes.Api.ICanvas", file.Content, StringComparison.Ordinal);
        Assert.Contains("public sealed unsafe class PenProxy : global::Shapes.Api.IPen", file.Content, StringComparison.Ordinal);
        string bin = AppContext.BaseDirectory;
        CSharpBindingTests.CompileWith([TestApis.Shapes, .. new[] { "Plugboard.Native.dll", "Plugboard.Core.dll", "Plugboard.Abstractions.dll" }.Select(f => Path.Combine(bin, f))], file.Content);
    }
}
