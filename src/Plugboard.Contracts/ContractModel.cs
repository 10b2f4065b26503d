namespace Plugboard.Contracts;

/// <summary>
/// What a host API exports across the plugin boundary, read from its metadata by <see cref="ContractReader"/>:
/// the exported interfaces, the shared structs and enums, and every problem found on the way.
/// </summary>
public sealed class ContractModel
{
    /// <summary>Creates a model.</summary>
    /// <param name="assemblyName">The host API's assembly name.</param>
    /// <param name="assemblyVersion">Its assembly version.</param>
    /// <param name="interfaces">The exported interfaces, by id order.</param>
    /// <param name="structs">The shared structs, in dependency order (a struct after the structs it holds).</param>
    /// <param name="enums">The shared enums.</param>
    /// <param name="diagnostics">The problems found.</param>
    public ContractModel(string assemblyName, Version assemblyVersion, IReadOnlyList<ContractInterface> interfaces, IReadOnlyList<SharedStruct> structs, IReadOnlyList<SharedEnum> enums, IReadOnlyList<ContractDiagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(assemblyName);
        AssemblyName = assemblyName;
        AssemblyVersion = assemblyVersion;
        Interfaces = interfaces;
        Structs = structs;
        Enums = enums;
        Diagnostics = diagnostics;
    }

    /// <summary>The host API's assembly name.</summary>
    public string AssemblyName { get; }

    /// <summary>Its assembly version.</summary>
    public Version AssemblyVersion { get; }

    /// <summary>The exported interfaces.</summary>
    public IReadOnlyList<ContractInterface> Interfaces { get; }

    /// <summary>The shared structs, each after the structs it holds.</summary>
    public IReadOnlyList<SharedStruct> Structs { get; }

    /// <summary>The shared enums.</summary>
    public IReadOnlyList<SharedEnum> Enums { get; }

    /// <summary>The problems found.</summary>
    public IReadOnlyList<ContractDiagnostic> Diagnostics { get; }

    /// <summary>Whether a diagnostic stops the bindings.</summary>
    public bool HasErrors => Diagnostics.Any(d => d.Severity == ContractDiagnosticSeverity.Error);

    /// <summary>The prefix of C names: the assembly name's first dotted part in snake case (<c>Notebook.Api</c>: <c>notebook</c>).</summary>
    public string Prefix => Bindings.NativeNames.Snake(AssemblyName.Split('.')[0]);

    /// <summary>Finds an interface by id.</summary>
    /// <param name="id">The versioned id.</param>
    /// <returns>The interface, or null.</returns>
    public ContractInterface? FindInterface(string id) => Interfaces.FirstOrDefault(i => string.Equals(i.Id, id, StringComparison.Ordinal));

    /// <summary>Finds an interface by its C# full name.</summary>
    /// <param name="fullName">The full name.</param>
    /// <returns>The interface, or null.</returns>
    public ContractInterface? FindInterfaceByType(string fullName) => Interfaces.FirstOrDefault(i => string.Equals(i.FullName, fullName, StringComparison.Ordinal));

    /// <summary>Finds a struct by its C# full name.</summary>
    /// <param name="fullName">The full name.</param>
    /// <returns>The struct, or null.</returns>
    public SharedStruct? FindStruct(string fullName) => Structs.FirstOrDefault(s => string.Equals(s.FullName, fullName, StringComparison.Ordinal));

    /// <summary>Finds an enum by its C# full name.</summary>
    /// <param name="fullName">The full name.</param>
    /// <returns>The enum, or null.</returns>
    public SharedEnum? FindEnum(string fullName) => Enums.FirstOrDefault(e => string.Equals(e.FullName, fullName, StringComparison.Ordinal));
}
