namespace Plugboard;

/// <summary>
/// Declares a type of this assembly as a plugin entry point, the managed counterpart of an exported symbol.
/// Plugboard reads it from metadata, so the host knows the entry types before any plugin code runs.
/// </summary>
/// <remarks>
/// Without this attribute (and without <c>entryTypes</c> in <c>plugin.json</c>), Plugboard takes every public
/// concrete type of the plugin's main assembly that implements the host's contract.
/// </remarks>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class PluginEntryAttribute : Attribute
{
    /// <summary>Declares <paramref name="entryType"/> as an entry point.</summary>
    /// <param name="entryType">A public, concrete type with a public constructor.</param>
    public PluginEntryAttribute(Type entryType) => EntryType = entryType;

    /// <summary>The declared entry type.</summary>
    public Type EntryType { get; }
}
