using System.Reflection;

namespace Plugboard.Metadata;

/// <summary>
/// The one rule for how Plugboard creates an entry instance: a public constructor taking an
/// <see cref="IPluginContext"/> (preferred) or nothing. With a <see cref="PluginEntryFactory"/> (dependency
/// injection) any public constructor will do, since the factory supplies the arguments. Metadata reading, the
/// compatibility check and the loader all ask here, so discovery's verdict is the loader's.
/// </summary>
internal static class EntryConstructorRule
{
    private static readonly string ContextTypeName = typeof(IPluginContext).FullName!;

    /// <summary>Whether a public constructor with these parameter types (full names, from metadata) is Plugboard's own kind.</summary>
    public static bool Accepts(IReadOnlyList<string> parameterTypes) =>
        parameterTypes.Count == 0 || (parameterTypes.Count == 1 && parameterTypes[0] == ContextTypeName);

    /// <summary>Whether a type read from metadata can be created, with or without an entry factory.</summary>
    public static bool Creatable(TypeFacts type, bool entryFactory) => entryFactory ? type.HasPublicConstructor : type.HasUsableConstructor;

    /// <summary>The rule in words, to complete "has no public constructor ...".</summary>
    public static string Describe(bool entryFactory) => entryFactory ? "(the host's entry factory needs one)" : "taking nothing or an IPluginContext";

    /// <summary>Plugboard's own constructor of a loaded type (the one taking the context first), or null when it has none.</summary>
    public static ConstructorInfo? Find(Type type) => type.GetConstructor([typeof(IPluginContext)]) ?? type.GetConstructor(Type.EmptyTypes);

    /// <summary>Calls a constructor <see cref="Find"/> returned.</summary>
    public static object Invoke(ConstructorInfo constructor, IPluginContext context) =>
        constructor.GetParameters().Length == 1 ? constructor.Invoke([context])
            // The activator calls a parameterless constructor through a cached function pointer; a first
            // ConstructorInfo.Invoke builds an invoker and goes through the runtime's generic invoke path.
            : Activator.CreateInstance(constructor.DeclaringType!, nonPublic: false)!;
}
