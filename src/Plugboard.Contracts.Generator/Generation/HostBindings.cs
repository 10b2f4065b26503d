using System.Collections.Immutable;
using Plugboard.Contracts.Bindings;
using Plugboard.Contracts.Reading;

namespace Plugboard.Contracts.Generator.Generation;

/// <summary>
/// What the generator adds for one host API: the source (null when there is none: no host API named, or a model with
/// errors) and the diagnostics. Compared by value, so an unchanged result leaves the compilation's output cached.
/// </summary>
internal sealed class HostBindings : IEquatable<HostBindings>
{
    private static readonly HostBindings Nothing = new(null, null, null, []);

    private HostBindings(string? assemblyName, string? fileName, string? source, ImmutableArray<ContractDiagnostic> diagnostics)
    {
        AssemblyName = assemblyName;
        FileName = fileName;
        Source = source;
        Diagnostics = diagnostics;
    }

    public string? AssemblyName { get; }

    public string? FileName { get; }

    public string? Source { get; }

    public ImmutableArray<ContractDiagnostic> Diagnostics { get; }

    /// <summary>Reads the host API's model and emits its host side, as <c>plugboard bindgen --lang csharp-host</c> does.</summary>
    public static HostBindings Read(HostApiReference hostApi, string? documentationXml, CancellationToken cancellation)
    {
        if (hostApi.Name is null)
        {
            return Nothing;
        }
        if (hostApi.Reference is null)
        {
            return Failed(hostApi.Name, ContractDiagnosticIds.HostApiNotReferenced,
                $"PlugboardNativeHostApi names '{hostApi.Name}', but the project references no assembly of that name. Reference the host API (a ProjectReference or PackageReference) or set PlugboardNativeHostApi to the assembly name of one it references.");
        }

        ContractModel model;
        try
        {
            using ReferenceImage image = ReferenceImage.Open(hostApi.Reference, cancellation);
            XmlDocumentation documentation = XmlDocumentation.Empty;
            if (documentationXml is { Length: > 0 })
            {
                using var text = new StringReader(documentationXml);
                documentation = XmlDocumentation.Parse(text);
            }
            model = new ContractModelBuilder(image.Reader, documentation).Build();
        }
        catch (Exception e) when (e is BadImageFormatException or System.Xml.XmlException or InvalidOperationException)
        {
            return Failed(hostApi.Name, ContractDiagnosticIds.HostApiUnreadable,
                $"The host API '{hostApi.Reference.Display}' cannot be read ({e.Message}). Reference the host API's built assembly and its XML documentation as the compiler writes them.");
        }

        ImmutableArray<ContractDiagnostic> diagnostics = [.. model.Diagnostics];
        if (model.HasErrors)
        {
            return new HostBindings(model.AssemblyName, null, null, diagnostics);
        }
        EmittedFile file = ContractBindings.Emit(model, BindingLanguage.CSharpHost).Single();
        return new HostBindings(model.AssemblyName, file.FileName, file.Content, diagnostics);
    }

    private static HostBindings Failed(string assemblyName, string id, string message) =>
        new(assemblyName, null, null, [new ContractDiagnostic(id, ContractDiagnosticSeverity.Error, assemblyName, message)]);

    public bool Equals(HostBindings? other) =>
        other is not null
        && string.Equals(AssemblyName, other.AssemblyName, StringComparison.Ordinal)
        && string.Equals(FileName, other.FileName, StringComparison.Ordinal)
        && string.Equals(Source, other.Source, StringComparison.Ordinal)
        && Diagnostics.SequenceEqual(other.Diagnostics, DiagnosticComparer.Instance);

    public override bool Equals(object? obj) => Equals(obj as HostBindings);

    public override int GetHashCode() => (Source ?? AssemblyName ?? string.Empty).GetHashCode();

    private sealed class DiagnosticComparer : IEqualityComparer<ContractDiagnostic>
    {
        public static readonly DiagnosticComparer Instance = new();

        public bool Equals(ContractDiagnostic? x, ContractDiagnostic? y) =>
            x is not null && y is not null && x.Severity == y.Severity
            && string.Equals(x.Id, y.Id, StringComparison.Ordinal)
            && string.Equals(x.Member, y.Member, StringComparison.Ordinal)
            && string.Equals(x.Message, y.Message, StringComparison.Ordinal);

        public int GetHashCode(ContractDiagnostic obj) => obj.Id.GetHashCode();
    }
}
