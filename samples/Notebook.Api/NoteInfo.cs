using Plugboard;

namespace Notebook.Api;

/// <summary>
/// What a native processor gets of a <see cref="Note"/> by value: the shared-data part (a blittable struct, the same
/// layout on both sides). The rest (title, body, tags, the store) it reaches through the <see cref="INotebookNotes"/>
/// handle it is called with.
/// </summary>
[SharedData]
public struct NoteInfo
{
    /// <summary>The size of this struct as its sender compiled it (the struct_size rule).</summary>
    public uint StructSize;

    /// <summary>The note's id in its store (0 when in none).</summary>
    public int Id;

    /// <summary>How many tags the note has.</summary>
    public int TagCount;

    /// <summary>How many metrics the note has.</summary>
    public int MetricCount;
}
