using Plugboard;

namespace Notebook.Api;

/// <summary>notebook.notes/1 with SetMetric and AddTag swapped: the same id, another layout.</summary>
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

    /// <summary>Sets a named metric on the note.</summary>
    /// <param name="name">A metric name.</param>
    /// <param name="value">The value.</param>
    void SetMetric(string name, double value);

    /// <summary>Adds a tag.</summary>
    /// <param name="tag">Any text.</param>
    void AddTag(string tag);

    /// <summary>Counts words.</summary>
    /// <param name="text">Any text.</param>
    /// <returns>The number of words.</returns>
    long CountWords(string text);

    /// <summary>Adds a new note to the store.</summary>
    /// <param name="title">A short title.</param>
    /// <param name="body">The text.</param>
    /// <returns>The new note's id.</returns>
    int AddNote(string title, string body);

    /// <summary>The id of the note being processed.</summary>
    /// <returns>The id.</returns>
    int GetNoteId();
}
