using Plugboard.Metadata;

namespace Plugboard.Compatibility;

/// <summary>
/// Binds type and member references the way the runtime does: a type by full name in the assembly named, following
/// <c>[TypeForwardedTo]</c> to the assembly that really defines it; a member by name and full signature on that type
/// or one of its base types; then accessibility. Shared by the plugin check and <c>plugboard api-check</c>.
/// </summary>
/// <param name="factsOf">The metadata of an assembly by simple name, or null when it is not one this check can see
/// (the .NET framework, an assembly the host does not have): references into those are not judged.</param>
internal sealed class ApiSurface(Func<string, AssemblyFacts?> factsOf)
{
    private const int MaxHops = 64;

    /// <summary>The members every class inherits from <c>System.Object</c> (constructors are not inherited).</summary>
    private static readonly HashSet<string> ObjectMembers = new(StringComparer.Ordinal)
    {
        "ToString instance ()System.String", "Equals instance (System.Object)System.Boolean", "GetHashCode instance ()System.Int32",
        "GetType instance ()System.Type", "Finalize instance ()System.Void", "MemberwiseClone instance ()System.Object",
    };

    /// <summary>Resolves a type a reference names in <paramref name="assembly"/>.</summary>
    public TypeBinding Resolve(string assembly, string fullName)
    {
        for (int hops = 0; hops < MaxHops; hops++)
        {
            if (factsOf(assembly) is not AssemblyFacts facts)
            {
                return new TypeBinding(TypeBindingKind.NotVisibleToCheck, null, null);
            }
            if (facts.Types.TryGetValue(fullName, out TypeFacts? type))
            {
                return new TypeBinding(type.IsPublic ? TypeBindingKind.Found : TypeBindingKind.NotAccessible, facts, type);
            }
            if (!facts.ForwardedTypes.TryGetValue(fullName, out string? target))
            {
                return new TypeBinding(TypeBindingKind.Missing, facts, null);
            }
            assembly = target;
        }
        return new TypeBinding(TypeBindingKind.Missing, null, null);
    }

    /// <summary>Resolves a type named inside <paramref name="owner"/> (a null assembly means the owner itself).</summary>
    public TypeBinding Resolve(AssemblyFacts owner, TypeName name) =>
        name.Assembly is null
            ? owner.Types.TryGetValue(name.FullName, out TypeFacts? local) ? new TypeBinding(TypeBindingKind.Found, owner, local) : new TypeBinding(TypeBindingKind.Missing, owner, null)
            : Resolve(name.Assembly, name.FullName);

    /// <summary>
    /// Finds the member <paramref name="key"/> (name and signature) on <paramref name="type"/> or a base type, as the
    /// runtime resolves a MemberRef. Null when it exists nowhere the check can see; <paramref name="unknown"/> is set
    /// when the base chain leaves what the check can see (so absence proves nothing).
    /// </summary>
    public (MemberFacts Member, TypeFacts DeclaringType)? FindMember(TypeBinding type, string key, out bool unknown)
    {
        unknown = false;
        TypeBinding current = type;
        for (int hops = 0; hops < MaxHops && current.Type is TypeFacts level; hops++)
        {
            if (level.Members.TryGetValue(key, out MemberFacts? member))
            {
                return (member, level);
            }
            if (level.BaseType is not TypeName baseName)
            {
                return null;
            }
            if (baseName.FullName == "System.Object")
            {
                return null;
            }
            current = Resolve(current.Assembly!, baseName);
            if (current.Kind == TypeBindingKind.NotVisibleToCheck)
            {
                // A framework base class (System.Exception, System.ValueType...): C# references inherited members on the
                // class that declares them, so a member the plugin found on an API type was declared there.
                unknown = !IsFrameworkRoot(baseName.FullName);
                return null;
            }
        }
        return null;
    }

    /// <summary>Whether <paramref name="key"/> is a member every class has from <c>System.Object</c>.</summary>
    public static bool IsObjectMember(string key) => ObjectMembers.Contains(key);

    /// <summary>Whether <paramref name="type"/> is, or derives from, the API type <paramref name="ancestor"/>.</summary>
    public bool DerivesFrom(AssemblyFacts owner, TypeFacts type, TypeFacts ancestor)
    {
        TypeBinding current = new(TypeBindingKind.Found, owner, type);
        for (int hops = 0; hops < MaxHops && current.Type is TypeFacts level; hops++)
        {
            if (ReferenceEquals(level, ancestor))
            {
                return true;
            }
            if (level.BaseType is not TypeName baseName)
            {
                return false;
            }
            current = Resolve(current.Assembly!, baseName);
        }
        return false;
    }

    private static bool IsFrameworkRoot(string fullName) => fullName is "System.ValueType" or "System.Enum" or "System.Object";
}

/// <summary>How a type reference binds.</summary>
internal enum TypeBindingKind
{
    /// <summary>The type exists and is public.</summary>
    Found,
    /// <summary>The type exists but is not public: the runtime throws TypeAccessException or MethodAccessException.</summary>
    NotAccessible,
    /// <summary>The assembly has no such type and forwards none.</summary>
    Missing,
    /// <summary>The reference points into an assembly the check does not judge (the framework).</summary>
    NotVisibleToCheck,
}

/// <summary>A type reference bound: where it landed (the assembly really defining it, after forwarders) and its facts.</summary>
internal readonly record struct TypeBinding(TypeBindingKind Kind, AssemblyFacts? Assembly, TypeFacts? Type);
