using Plugboard;

namespace Notebook.Api;

/// <summary>
/// A contract of data only: a checker gets a note's text and returns what it found. Unlike <see cref="INoteProcessor"/>,
/// whose <see cref="Note"/> and <see cref="NotebookStore"/> are the host's own objects, everything it takes and returns
/// is a copy that can cross a process boundary, so the host can run a checker out of process (docs/isolation.md).
/// Exported as <c>notebook.checker/1</c>: a native plugin implements it too, on the bindings bindgen emits.
/// </summary>
/// <thread>any host thread; serialized and never re-entered unless the plugin declares PB_FLAG_THREAD_SAFE</thread>
[ExportedInterface("notebook.checker/1")]
public interface INoteChecker
{
    /// <summary>Checks one note's text.</summary>
    /// <param name="title">The note's title.</param>
    /// <param name="body">The note's text.</param>
    /// <returns>One line saying what the checker found, for the host's report.</returns>
    /// <ownership>title and body borrowed for the call; the report copied by the sink</ownership>
    string Check(string title, string body);
}
