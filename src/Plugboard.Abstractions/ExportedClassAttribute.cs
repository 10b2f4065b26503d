namespace Plugboard;

/// <summary>
/// Marks a class of a host API as passed to native plugins by handle under a versioned id (<c>notebook.note/1</c>):
/// the host's own object stays in the host, and the plugin gets an opaque handle and a table of functions, one per
/// public instance member (property accessors included), through which it reads and changes that very object. A
/// contract that takes the class (<c>Process(Note note, NotebookStore store)</c>) can then be implemented in C, Rust
/// or NativeAOT C#.
/// </summary>
/// <remarks>
/// A handle is valid only during the call it was passed to, on that call's thread: a plugin that keeps one and uses it
/// later gets <c>PB_ERR_NO_CALL</c>, and never reaches another call's object. Every public instance member must have a
/// shape the bindings can express, or be marked <see cref="NotExportedAttribute"/>; anything else is a bindgen error
/// naming the member (docs/native-bindings.md). Constructors and <c>init</c> accessors are not part of the table (they
/// act before an object exists); static members and events are errors unless marked <see cref="NotExportedAttribute"/>.
/// The compatibility rule is the interfaces': members are only appended within an id.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ExportedClassAttribute : Attribute
{
    /// <summary>Exports the class under <paramref name="id"/>.</summary>
    /// <param name="id">A versioned id: a lower-case dotted name, a slash and the major version, e.g. <c>notebook.note/1</c>.</param>
    public ExportedClassAttribute(string id) => Id = id;

    /// <summary>The versioned id.</summary>
    public string Id { get; }
}
