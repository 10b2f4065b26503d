namespace Notebook.Api;

/// <summary>
/// A contract of data only: a checker gets a note's text and returns what it found. Unlike <see cref="INoteProcessor"/>,
/// whose <see cref="Note"/> and <see cref="NotebookStore"/> are the host's own objects, everything it takes and returns
/// is a copy that can cross a process boundary, so the host can run a checker out of process (docs/isolation.md).
/// </summary>
public interface INoteChecker
{
    /// <summary>Checks one note's text.</summary>
    /// <param name="title">The note's title.</param>
    /// <param name="body">The note's text.</param>
    /// <returns>One line saying what the checker found, for the host's report.</returns>
    string Check(string title, string body);
}
