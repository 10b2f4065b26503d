using Plugboard;

namespace Notebook.Api;

/// <summary>
/// The notes API native plugins call while they process a note: the host service <c>notebook.notes/1</c>. A native
/// plugin gets its table with <c>host->get_interface("notebook.notes/1")</c> and passes its invoke's <c>call_ctx</c> as
/// each function's context, so every function acts on the note of the current call. <c>plugboard bindgen</c> emits the
/// C header and the Rust module for it from this declaration.
/// </summary>
/// <thread>the invoking thread, during invoke</thread>
[ExportedInterface("notebook.notes/1")]
public interface INotebookNotes
{
    /// <summary>Writes the note's title to the sink.</summary>
    /// <returns>The title.</returns>
    string GetTitle();

    /// <summary>Writes the note's body to the sink.</summary>
    /// <returns>The body.</returns>
    string GetBody();

    /// <summary>Adds a tag (slugified by the host).</summary>
    /// <param name="tag">Any text.</param>
    void AddTag(string tag);

    /// <summary>Sets a named metric on the note.</summary>
    /// <param name="name">A metric name such as <c>words</c>.</param>
    /// <param name="value">The value.</param>
    void SetMetric(string name, double value);

    /// <summary>Counts words the way the host's <see cref="TextTools.CountWords"/> does.</summary>
    /// <param name="text">Any text.</param>
    /// <returns>The number of words.</returns>
    long CountWords(string text);

    /// <summary>Adds a new note (author = plugin name) to the store.</summary>
    /// <param name="title">A short title.</param>
    /// <param name="body">The text.</param>
    /// <returns>The new note's id.</returns>
    int AddNote(string title, string body);

    /// <summary>The id of the note being processed (0 if not in a store).</summary>
    /// <returns>The id.</returns>
    int GetNoteId();
}
