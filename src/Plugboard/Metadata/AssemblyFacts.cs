using System.Reflection;

namespace Plugboard.Metadata;

/// <summary>
/// What Plugboard needs to know about one assembly, read from its metadata tables without loading it.
/// Plain data: the file is closed by the time this exists.
/// </summary>
internal sealed class AssemblyFacts
{
    public required string Path { get; init; }
    public required AssemblyName Name { get; init; }
    public string? InformationalVersion { get; init; }
    /// <summary>From <c>TargetFrameworkAttribute</c>, e.g. <c>.NETCoreApp,Version=v10.0</c>.</summary>
    public string? TargetFramework { get; init; }
    public bool IsReferenceAssembly { get; init; }
    public bool HasCode { get; init; }
    public required IReadOnlyList<AssemblyName> References { get; init; }
    public required IReadOnlyList<string> DeclaredEntryTypes { get; init; }
    public string? DeclaredId { get; init; }
    /// <summary>Types defined here, by full name (nested types as <c>Outer+Inner</c>).</summary>
    public required IReadOnlyDictionary<string, TypeFacts> Types { get; init; }
    /// <summary>Types forwarded to another assembly: they exist, their members are not checked here.</summary>
    public required IReadOnlySet<string> ForwardedTypes { get; init; }
    /// <summary>Every type this assembly references in another assembly.</summary>
    public required IReadOnlyList<TypeUse> TypeUses { get; init; }
    /// <summary>Every field and method this assembly references in another assembly.</summary>
    public required IReadOnlyList<MemberUse> MemberUses { get; init; }
}

/// <summary>A type defined by an assembly.</summary>
internal sealed class TypeFacts
{
    public required string FullName { get; init; }
    public bool IsPublic { get; init; }
    public bool IsAbstract { get; init; }
    public bool IsInterface { get; init; }
    public bool IsGenericDefinition { get; init; }
    /// <summary>A public constructor taking nothing, or only an <c>IPluginContext</c>.</summary>
    public bool HasUsableConstructor { get; init; }
    public bool HasPublicConstructor { get; init; }
    public TypeName? BaseType { get; init; }
    public required IReadOnlyList<TypeName> Interfaces { get; init; }
    /// <summary>Member keys (<c>name</c> + canonical signature) of fields and methods.</summary>
    public required IReadOnlySet<string> Members { get; init; }
    /// <summary>Names of methods, including explicit implementations (<c>Ns.IFace.Name</c>).</summary>
    public required IReadOnlySet<string> MethodNames { get; init; }
    /// <summary>Abstract methods (for interfaces: those without a default body), by name.</summary>
    public required IReadOnlyList<string> AbstractMethodNames { get; init; }
}

/// <summary>A type name with the assembly it lives in; <see cref="Assembly"/> is null for a type of the same assembly.</summary>
internal readonly record struct TypeName(string? Assembly, string FullName)
{
    public override string ToString() => Assembly is null ? FullName : $"{FullName} ({Assembly})";
}

/// <summary>A reference to a type of another assembly.</summary>
internal readonly record struct TypeUse(string Assembly, string FullName);

/// <summary>A reference to a field or method of a type of another assembly.</summary>
internal readonly record struct MemberUse(string Assembly, string TypeFullName, string Name, string Signature, string Display);
