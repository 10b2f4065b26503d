using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Plugboard.Contracts.Generator.Generation;

namespace Plugboard.Contracts.Generator;

/// <summary>
/// Generates the host side of a host API's native bindings while the host compiles: for the referenced assembly that
/// the MSBuild property <c>PlugboardNativeHostApi</c> names, the proxies (each exported interface over a native plugin's
/// table) and the tables of its exported classes, the same source <c>plugboard bindgen --lang csharp-host</c> emits
/// from the same assembly. The contract's problems are the build's diagnostics (PLUGBOARD010–017), with
/// PLUGBOARD018–020 for a project set up wrong.
/// </summary>
/// <remarks>
/// Incremental: the model is read again only when the host API reference, its documentation or the property changes,
/// never for an edit of the host's own code.
/// </remarks>
[Generator(LanguageNames.CSharp)]
public sealed class HostBindingsGenerator : IIncrementalGenerator
{
    /// <summary>The MSBuild property (made compiler-visible by the package's props) naming the host API assembly.</summary>
    public const string HostApiProperty = "PlugboardNativeHostApi";

    /// <summary>The metadata of the <c>AdditionalFiles</c> item that is the host API's XML documentation (the package's targets add it).</summary>
    public const string DocumentationMetadata = "PlugboardHostApiDocumentation";

    /// <summary>The tracking name of the step that finds the host API reference.</summary>
    public const string HostApiStep = "PlugboardHostApiReference";

    /// <summary>The tracking name of the step that reads the model and emits the source.</summary>
    public const string BindingsStep = "PlugboardHostBindings";

    private const string PlugboardNative = "Plugboard.Native";

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValueProvider<string?> hostApiName = context.AnalyzerConfigOptionsProvider.Select(static (options, _) =>
            options.GlobalOptions.TryGetValue("build_property." + HostApiProperty, out string? value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null);

        IncrementalValueProvider<HostApiReference> hostApi = context.MetadataReferencesProvider
            .Combine(hostApiName)
            .Where(static pair => pair.Right is not null && string.Equals(ReferenceImage.AssemblyName(pair.Left), pair.Right, StringComparison.Ordinal))
            .Select(static (pair, _) => pair.Left)
            .Collect()
            .Combine(hostApiName)
            .Select(static (pair, _) => new HostApiReference(pair.Right, pair.Left.Length == 0 ? null : pair.Left[0]))
            .WithTrackingName(HostApiStep);

        IncrementalValueProvider<ImmutableArray<string>> documentation = context.AdditionalTextsProvider
            .Combine(context.AnalyzerConfigOptionsProvider)
            .Where(static pair => pair.Right.GetOptions(pair.Left).TryGetValue("build_metadata.AdditionalFiles." + DocumentationMetadata, out string? flag)
                && string.Equals(flag, "true", StringComparison.OrdinalIgnoreCase))
            .Select(static (pair, cancellation) => pair.Left.GetText(cancellation)?.ToString() ?? string.Empty)
            .Collect();

        IncrementalValueProvider<HostBindings> bindings = hostApi
            .Combine(documentation)
            .Select(static (pair, cancellation) => HostBindings.Read(pair.Left, pair.Right.IsDefaultOrEmpty ? null : pair.Right[0], cancellation))
            .WithTrackingName(BindingsStep);

        // What the generated source compiles against: checked so a project set up wrong gets one diagnostic, not a page of CS errors.
        IncrementalValueProvider<bool> referencesNative = context.MetadataReferencesProvider
            .Where(static reference => string.Equals(ReferenceImage.AssemblyName(reference), PlugboardNative, StringComparison.Ordinal))
            .Collect()
            .Select(static (found, _) => found.Length > 0);
        IncrementalValueProvider<bool> allowsUnsafe = context.CompilationProvider
            .Select(static (compilation, _) => compilation.Options is CSharpCompilationOptions { AllowUnsafe: true });

        context.RegisterSourceOutput(bindings.Combine(referencesNative).Combine(allowsUnsafe), static (output, input) =>
        {
            ((HostBindings result, bool native), bool unsafeCode) = input;
            foreach (Diagnostic diagnostic in result.Diagnostics.Select(ContractDiagnostics.ToDiagnostic))
            {
                output.ReportDiagnostic(diagnostic);
            }
            if (result.FileName is null || result.Source is null)
            {
                return;
            }
            if (!native || !unsafeCode)
            {
                output.ReportDiagnostic(ContractDiagnostics.ProjectIncomplete(result.AssemblyName, native, unsafeCode));
                return;
            }
            output.AddSource(result.FileName, result.Source);
        });
    }
}
