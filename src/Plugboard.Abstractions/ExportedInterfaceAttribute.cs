namespace Plugboard;

/// <summary>
/// Marks an interface of a host API as exported across the plugin boundary under a versioned id: a host service
/// plugins call (<c>notebook.notes/1</c>) or a contract plugins implement. <c>plugboard bindgen</c> reads it from the
/// host API's metadata (the assembly is never loaded) and emits the C header and the Rust module for it.
/// </summary>
/// <remarks>
/// Appending members keeps the id (the table's <c>struct_size</c> tells old and new apart); removing, reordering or
/// retyping a member needs a new id with the next major (<c>notebook.notes/2</c>). Every member must have a shape the
/// bindings can express (docs/native-bindings.md); anything else is a bindgen error naming the member.
/// </remarks>
[AttributeUsage(AttributeTargets.Interface, Inherited = false)]
public sealed class ExportedInterfaceAttribute : Attribute
{
    /// <summary>Exports the interface under <paramref name="id"/>.</summary>
    /// <param name="id">A versioned id: a lower-case dotted name, a slash and the major version, e.g. <c>notebook.notes/1</c>.</param>
    public ExportedInterfaceAttribute(string id) => Id = id;

    /// <summary>The versioned id.</summary>
    public string Id { get; }
}
