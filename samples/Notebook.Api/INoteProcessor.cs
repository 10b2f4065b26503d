namespace Notebook.Api;

/// <summary>
/// The contract Notebook plugins implement. The host calls <see cref="Process"/> for every note; a plugin
/// may change the note (tags, metrics) and add notes of its own to the store.
/// </summary>
public interface INoteProcessor
{
    /// <summary>A short name shown in the host's report.</summary>
    string Name { get; }

    /// <summary>Processes one note.</summary>
    /// <param name="note">The note; the plugin may tag it and set metrics.</param>
    /// <param name="store">The notebook, for plugins that look at other notes or add their own.</param>
    /// <returns>One line saying what the plugin did, for the host's report.</returns>
    string Process(Note note, NotebookStore store);
}
