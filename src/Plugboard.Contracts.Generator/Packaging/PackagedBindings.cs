using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Plugboard.Contracts.Bindings;
using Plugboard.Contracts.Reading;

namespace Plugboard.Contracts.Generator.Packaging;

/// <summary>
/// The bindings a host API's package carries for plugin authors, emitted from the same model as the generated host side
/// and <c>plugboard bindgen</c>: called by the package's MSBuild targets when a host API project that sets
/// <c>PlugboardPackNativeBindings</c> is packed. It takes the assembly's bytes and documentation text and returns text:
/// the targets do the file IO (a generator assembly reads no file) and call it by reflection, so nothing of Roslyn is
/// touched in the MSBuild process.
/// </summary>
public static class PackagedBindings
{
    /// <summary>Emits the files of a host API's package, each with its path under the package's <c>build/native/</c>.</summary>
    /// <param name="image">The host API assembly as built.</param>
    /// <param name="documentationXml">Its XML documentation (the comments and thread rules), or null.</param>
    /// <param name="version">The package version, which the Rust crate takes.</param>
    /// <param name="diagnostics">The model's diagnostics, each as <c>error|warning</c>, id, member and message separated by tabs; with an error no file is emitted.</param>
    /// <returns>Path and content alternating: <c>include/&lt;api&gt;.h</c>, <c>&lt;api&gt;.interfaces.json</c>, <c>rust/&lt;api&gt;/Cargo.toml</c>, <c>rust/&lt;api&gt;/src/lib.rs</c>, <c>csharp/&lt;Api&gt;.Native.cs</c>.</returns>
    public static string[] Emit(byte[] image, string? documentationXml, string version, out string[] diagnostics)
    {
        ContractModel model;
        try
        {
            using var pe = new PEReader(new MemoryStream(image, writable: false));
            MetadataReader reader = pe.GetMetadataReader();
            XmlDocumentation documentation = XmlDocumentation.Empty;
            if (documentationXml is { Length: > 0 })
            {
                using var text = new StringReader(documentationXml);
                documentation = XmlDocumentation.Parse(text);
            }
            model = new ContractModelBuilder(reader, documentation).Build();
        }
        catch (Exception e) when (e is BadImageFormatException or InvalidOperationException or System.Xml.XmlException)
        {
            diagnostics = ["error\t" + ContractDiagnosticIds.HostApiUnreadable + "\thost API\tthe built assembly cannot be read (" + e.Message + "); pack the assembly and XML documentation the compiler wrote."];
            return [];
        }

        diagnostics = [.. model.Diagnostics.Select(d => (d.Severity == ContractDiagnosticSeverity.Error ? "error" : "warning") + "\t" + d.Id + "\t" + d.Member + "\t" + d.Message)];
        if (model.HasErrors)
        {
            return [];
        }
        string crate = ContractBindings.BaseName(model);
        var files = new List<string>();
        void Add(string path, EmittedFile file) => files.AddRange([path + file.FileName, file.Content]);
        Add("include/", ContractBindings.Emit(model, BindingLanguage.C).Single());
        Add(string.Empty, ContractBindings.EmitManifestInterfaces(model));
        // A crate of its own on the SDK crate the package carries beside it: a plugin depends on both by path.
        files.AddRange(["rust/" + crate + "/Cargo.toml", CargoManifest(model, crate, version)]);
        files.AddRange(["rust/" + crate + "/src/lib.rs", ContractBindings.Emit(model, BindingLanguage.Rust).Single().Content]);
        Add("csharp/", ContractBindings.Emit(model, BindingLanguage.CSharp).Single());
        return [.. files];
    }

    private static string CargoManifest(ContractModel model, string crate, string version) =>
        $"""
        # The Rust bindings of {model.AssemblyName} {version}, generated when its package was packed. Do not edit.
        [package]
        name = "{crate}"
        version = "{version}"
        edition = "2024"
        publish = false

        [lib]
        path = "src/lib.rs"

        [dependencies]
        plugboard = {"{"} path = "../plugboard" {"}"}

        """.Replace("\r\n", "\n");
}
