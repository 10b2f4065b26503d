using Plugboard;

namespace Notebook.Api;

/// <summary>
/// The contract Notebook plugins implement. The host calls <see cref="Process"/> for every note; a plugin
/// may change the note (tags, metrics) and add notes of its own to the store. Exported as <c>notebook.processor/2</c>:
/// a C, Rust or NativeAOT plugin implements it too, and gets the note and the store as handles to the host's objects.
/// </summary>
/// <thread>any host thread; serialized and never re-entered unless the plugin declares PB_FLAG_THREAD_SAFE</thread>
[ExportedInterface("notebook.processor/2")]
public interface INoteProcessor
{
    /// <summary>A short name shown in the host's report.</summary>
    string Name { get; }

    /// <summary>Processes one note.</summary>
    /// <param name="note">The note; the plugin may tag it and set metrics.</param>
    /// <param name="store">The notebook, for plugins that look at other notes or add their own.</param>
    /// <returns>One line saying what the plugin did, for the host's report.</returns>
    /// <ownership>note and store borrowed for the call (handles valid only during it); the report copied by the sink</ownership>
    string Process(Note note, NotebookStore store);
}
