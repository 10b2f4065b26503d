using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;

namespace Plugboard.Contracts.Generator.Generation;

/// <summary>The contract model's diagnostics as the compiler's: the same ids, the member and message as bindgen prints them.</summary>
internal static class ContractDiagnostics
{
    private const string Category = "Plugboard.Contracts";

    private static readonly Dictionary<string, string> Titles = new(StringComparer.Ordinal)
    {
        [ContractDiagnosticIds.UnsupportedShape] = "A host API member has a type the native bindings cannot express",
        [ContractDiagnosticIds.UnsupportedMember] = "A host API member kind the native bindings cannot express",
        [ContractDiagnosticIds.InvalidInterfaceId] = "An exported interface or class id is invalid or taken",
        [ContractDiagnosticIds.InvalidSharedData] = "A [SharedData] type has a layout the native bindings cannot share",
        [ContractDiagnosticIds.IncompatibleLayout] = "A layout changed incompatibly under the same id",
        [ContractDiagnosticIds.MissingThreadRule] = "An exported function states no thread rule",
        [ContractDiagnosticIds.NameCollision] = "Two names collide in the native bindings",
        [ContractDiagnosticIds.DuplicateHandleType] = "A function takes two handles of one exported type",
        [ContractDiagnosticIds.HostApiNotReferenced] = "PlugboardNativeHostApi names an assembly the project does not reference",
        [ContractDiagnosticIds.HostApiUnreadable] = "The host API cannot be read",
        [ContractDiagnosticIds.HostProjectIncomplete] = "The generated host side cannot compile in this project",
    };

    private static readonly ConcurrentDictionary<(string Id, ContractDiagnosticSeverity Severity), DiagnosticDescriptor> Descriptors = new();

    public static Diagnostic ToDiagnostic(ContractDiagnostic diagnostic) =>
        Diagnostic.Create(Descriptor(diagnostic.Id, diagnostic.Severity), Location.None, diagnostic.Member, diagnostic.Message);

    public static Diagnostic ProjectIncomplete(string? assemblyName, bool referencesNative, bool allowsUnsafe)
    {
        var missing = new List<string>();
        if (!referencesNative)
        {
            missing.Add("a reference to Plugboard.Native (the loader the proxies call)");
        }
        if (!allowsUnsafe)
        {
            missing.Add("<AllowUnsafeBlocks>true</AllowUnsafeBlocks> (the tables are function pointers)");
        }
        return ToDiagnostic(new ContractDiagnostic(ContractDiagnosticIds.HostProjectIncomplete, ContractDiagnosticSeverity.Error, assemblyName ?? "PlugboardNativeHostApi",
            "the generated proxies and host tables need " + string.Join(" and ", missing) + "; add it to the project, or remove PlugboardNativeHostApi."));
    }

    private static DiagnosticDescriptor Descriptor(string id, ContractDiagnosticSeverity severity) =>
        Descriptors.GetOrAdd((id, severity), static key => new DiagnosticDescriptor(
            key.Id,
            Titles.TryGetValue(key.Id, out string? title) ? title : "Plugboard contract diagnostic",
            "{0}: {1}",
            Category,
            key.Severity == ContractDiagnosticSeverity.Error ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
            isEnabledByDefault: true));
}
