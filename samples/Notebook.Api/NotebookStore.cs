namespace Notebook.Api;

/// <summary>The application's collection of notes. Thread-safe.</summary>
public sealed class NotebookStore
{
    private readonly List<Note> _notes = [];
    private readonly Lock _gate = new();
    private int _nextId = 1;

    /// <summary>Raised after a note is added, by the host or a plugin.</summary>
    public event EventHandler<Note>? NoteAdded;

    /// <summary>Adds a note and gives it an id.</summary>
    /// <param name="note">A note not yet in any notebook.</param>
    /// <returns>The note, with its id set.</returns>
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
    public IReadOnlyList<Note> WithTag(string tag)
    {
        lock (_gate)
        {
            return _notes.Where(n => n.Tags.Contains(tag)).ToList();
        }
    }
}
