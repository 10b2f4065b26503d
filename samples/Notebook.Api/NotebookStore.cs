using Plugboard;

namespace Notebook.Api;

/// <summary>
/// The application's collection of notes. Thread-safe. Native plugins get it as a handle to <c>notebook.store/1</c>
/// (the host's own store, valid during the call it was passed to).
/// </summary>
/// <thread>the calling thread, during the call the store was passed to</thread>
[ExportedClass("notebook.store/1")]
public sealed class NotebookStore
{
    private readonly List<Note> _notes = [];
    private readonly Lock _gate = new();
    private int _nextId = 1;

    /// <summary>Raised after a note is added, by the host or a plugin.</summary>
    [NotExported]
    public event EventHandler<Note>? NoteAdded;

    /// <summary>Adds a note and gives it an id.</summary>
    /// <param name="note">A note not yet in any notebook.</param>
    /// <returns>The note, with its id set.</returns>
    [NotExported]
    public Note Add(Note note)
    {
        ArgumentNullException.ThrowIfNull(note);
        lock (_gate)
        {
            if (note.Id != 0)
            {
                throw new InvalidOperationException($"Note '{note.Title}' already belongs to a notebook (id {note.Id}).");
            }
            note.Id = _nextId++;
            _notes.Add(note);
        }
        NoteAdded?.Invoke(this, note);
        return note;
    }

    /// <summary>A snapshot of the notes, in the order they were added.</summary>
    [NotExported]
    public IReadOnlyList<Note> Notes
    {
        get
        {
            lock (_gate)
            {
                return [.. _notes];
            }
        }
    }

    /// <summary>Finds a note by id.</summary>
    /// <param name="id">The note id.</param>
    /// <returns>The note, or null.</returns>
    [NotExported]
    public Note? Find(int id)
    {
        lock (_gate)
        {
            return _notes.Find(n => n.Id == id);
        }
    }

    /// <summary>The notes carrying a tag.</summary>
    /// <param name="tag">Any text; compared after normalizing.</param>
    /// <returns>A snapshot.</returns>
    [NotExported]
    public IReadOnlyList<Note> WithTag(string tag)
    {
        lock (_gate)
        {
            return _notes.Where(n => n.Tags.Contains(tag)).ToList();
        }
    }

    /// <summary>Adds a new note, as <see cref="Add"/> does; for native plugins, which cannot make a <see cref="Note"/>.</summary>
    /// <param name="title">A short title.</param>
    /// <param name="body">The text.</param>
    /// <param name="author">Who creates it (a plugin's name).</param>
    /// <returns>The new note's id.</returns>
    public int AddNote(string title, string body, string author) => Add(new Note(title, body) { Author = author }).Id;

    /// <summary>How many notes the store holds.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _notes.Count;
            }
        }
    }
}
