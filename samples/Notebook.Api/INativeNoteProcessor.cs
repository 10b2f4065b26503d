using Plugboard;

namespace Notebook.Api;

/// <summary>
/// <see cref="INoteProcessor"/> as it crosses the C ABI: the contract a native Notebook plugin implements and serves
/// through its descriptor's <c>get_interface("notebook.processor/1")</c>. Each function is called with the plugin's
/// <c>plugin_ctx</c>; the notes handle it gets is valid only during the call, on its thread.
/// </summary>
/// <thread>any host thread; serialized and never re-entered unless the plugin declares PB_FLAG_THREAD_SAFE</thread>
[ExportedInterface("notebook.processor/1")]
public interface INativeNoteProcessor
{
    /// <summary>Processes one note: reads and changes it (and adds notes to its store) through <paramref name="notes"/>.</summary>
    /// <param name="note">The note's shared data.</param>
    /// <param name="notes">The note and its store, for this call only.</param>
    /// <returns>One line saying what the plugin did, for the host's report.</returns>
    /// <ownership>note and notes borrowed for the call; the report copied by the sink</ownership>
    string Process(NoteInfo note, INotebookNotes notes);
}
