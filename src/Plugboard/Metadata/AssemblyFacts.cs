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
    /// <summary>
    /// Types forwarded to another assembly (<c>[TypeForwardedTo]</c>), by full name, with the simple name of the
    /// assembly that defines them now: the surface check follows them there.
    /// </summary>
    public required IReadOnlyDictionary<string, string> ForwardedTypes { get; init; }
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
    public bool IsSealed { get; init; }
    public bool IsGenericDefinition { get; init; }
    /// <summary>A public constructor taking nothing, or only an <c>IPluginContext</c>.</summary>
    public bool HasUsableConstructor { get; init; }
    public bool HasPublicConstructor { get; init; }
    public TypeName? BaseType { get; init; }
    /// <summary>The base type as signatures spell it, with generic arguments (e.g. <c>Ns.Base`1&lt;System.Int32&gt;</c>).</summary>
    public string? BaseTypeText { get; init; }
    /// <summary>The base type's generic arguments as signature text (empty when it is not generic).</summary>
    public IReadOnlyList<string> BaseTypeArguments { get; init; } = [];
    /// <summary>The interfaces of the type's InterfaceImpl table (for C#, every interface it implements, inherited ones too).</summary>
    public required IReadOnlyList<InterfaceUse> Interfaces { get; init; }
    /// <summary>Fields and methods by key (<see cref="MemberFacts.Key"/>).</summary>
    public required IReadOnlyDictionary<string, MemberFacts> Members { get; init; }
    /// <summary>
    /// The interface or base members this type implements explicitly (its MethodImpl table), as
    /// <c>DeclaringTypeText::Name Signature</c> with the declaring type's generic arguments and the member's own signature.
    /// </summary>
    public required IReadOnlySet<string> ExplicitImplementations { get; init; }
    /// <summary>Abstract methods (for interfaces: those without a default body), in declaration order.</summary>
    public IEnumerable<MemberFacts> AbstractMethods => Members.Values.Where(m => m.IsAbstract);
}

/// <summary>An interface a type implements, as its InterfaceImpl row names it.</summary>
/// <param name="Definition">The interface's definition (assembly and full name, without generic arguments).</param>
/// <param name="Text">The interface as signatures spell it, e.g. <c>CaseApi.IHandler`1&lt;CaseApi.Money&gt;</c>.</param>
/// <param name="Arguments">Its generic arguments as signature text (empty when it is not generic).</param>
internal readonly record struct InterfaceUse(TypeName Definition, string Text, IReadOnlyList<string> Arguments);

/// <summary>A field or method a type defines.</summary>
internal sealed class MemberFacts
{
    public required string Name { get; init; }
    /// <summary>Canonical signature text (<see cref="SignatureText"/>): what the runtime binds a reference by.</summary>
    public required string Signature { get; init; }
    /// <summary>For methods, the return type; for fields, the field type.</summary>
    public required string ReturnType { get; init; }
    /// <summary>Parameter types of a method (empty for fields).</summary>
    public required IReadOnlyList<string> ParameterTypes { get; init; }
    public int GenericArity { get; init; }
    public bool IsField { get; init; }
    public bool IsStatic { get; init; }
    public bool IsVirtual { get; init; }
    public bool IsAbstract { get; init; }
    /// <summary>Who may use the member.</summary>
    public MemberAccess Access { get; init; }

    private string? _key;

    /// <summary>Name and signature: what a reference binds by.</summary>
    public string Key => _key ??= Name + " " + Signature;
}

/// <summary>The accessibility of a member, as the runtime checks it when another assembly binds to it.</summary>
internal enum MemberAccess
{
    /// <summary>Private, internal or private protected: no other assembly may use it.</summary>
    NotVisible,
    /// <summary>Protected (or protected internal): only from a type deriving from the declaring type.</summary>
    Family,
    /// <summary>Public.</summary>
    Public,
}

/// <summary>A type name with the assembly it lives in; <see cref="Assembly"/> is null for a type of the same assembly.</summary>
internal readonly record struct TypeName(string? Assembly, string FullName)
{
    public override string ToString() => Assembly is null ? FullName : $"{FullName} ({Assembly})";
}

/// <summary>A reference to a type of another assembly.</summary>
internal readonly record struct TypeUse(string Assembly, string FullName);

/// <summary>A reference to a field or method of a type of another assembly.</summary>
/// <param name="Assembly">The assembly the reference points into.</param>
/// <param name="TypeFullName">The declaring type as the reference names it.</param>
/// <param name="Name">The member's name.</param>
/// <param name="Signature">Canonical signature text, what the member binds by.</param>
/// <param name="SignatureDisplay">The member as signature text (<c>System.Int32 Ns.Type.Name(System.String)</c>).</param>
internal readonly record struct MemberUse(string Assembly, string TypeFullName, string Name, string Signature, string SignatureDisplay)
{
    /// <summary>The member in C# syntax, as messages show it (<c>int Ns.Type.Name(string)</c>).</summary>
    public string Display => SignatureText.Display(SignatureDisplay);
}
