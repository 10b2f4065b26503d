using Plugboard;

namespace Notebook.Api;

/// <summary>The contract as the real Notebook.Api declares it (notebook.processor/1), unchanged in this build.</summary>
/// <thread>any host thread; serialized and never re-entered unless the plugin declares PB_FLAG_THREAD_SAFE</thread>
[ExportedInterface("notebook.processor/1")]
public interface INativeNoteProcessor
{
    /// <summary>Processes one note through <paramref name="notes"/>.</summary>
    /// <param name="note">The note's shared data.</param>
    /// <param name="notes">The note and its store, for this call only.</param>
    /// <returns>One line saying what the plugin did.</returns>
    /// <ownership>note and notes borrowed for the call; the report copied by the sink</ownership>
    string Process(NoteInfo note, INotebookNotes notes);
}

/// <summary>The note's shared data, as the real Notebook.Api declares it.</summary>
[SharedData]
public struct NoteInfo
{
    /// <summary>The size of this struct as its sender compiled it.</summary>
    public uint StructSize;

    /// <summary>The note's id.</summary>
    public int Id;

    /// <summary>How many tags the note has.</summary>
    public int TagCount;

    /// <summary>How many metrics the note has.</summary>
    public int MetricCount;
}
