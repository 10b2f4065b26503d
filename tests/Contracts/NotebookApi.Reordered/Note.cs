using Plugboard;

namespace Notebook.Api;

// The real Notebook.Api's Note with CountWords moved before TagCount: notebook.note/1 under the same id, another
// layout (both functions are (ctx, int32_t *out_result), so a plugin built on this layout calls the wrong one silently).

/// <summary>
/// One note of the notebook. Plugins read it, tag it and attach metrics to it. Native plugins get it as a handle to
/// <c>notebook.note/1</c> (the host's own object, valid during the call it was passed to).
/// </summary>
/// <thread>the calling thread, during the call the note was passed to</thread>
[ExportedClass("notebook.note/1")]
public sealed class Note
{
    private readonly Dictionary<string, double> _metrics = new(StringComparer.Ordinal);

    /// <summary>Creates a note.</summary>
    /// <param name="title">A short title.</param>
    /// <param name="body">The text.</param>
    public Note(string title, string body)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        Title = title;
        Body = body ?? string.Empty;
    }

    /// <summary>Unique within a notebook once added; 0 before.</summary>
    public int Id { get; internal set; }

    /// <summary>The title.</summary>
    public string Title { get; }

    /// <summary>The text.</summary>
    public string Body { get; set; }

    /// <summary>The note's tags, normalized. (A native plugin uses <see cref="AddTag"/> and <see cref="TagCount"/>: an object cannot be returned across the ABI.)</summary>
    [NotExported]
    public TagSet Tags { get; } = new();

    /// <summary>Numbers plugins computed about the note, by name.</summary>
    [NotExported]
    public IReadOnlyDictionary<string, double> Metrics => _metrics;

    /// <summary>Who created the note: "user" or a plugin's name.</summary>
    public string Author { get; init; } = "user";

    /// <summary>Sets a metric, replacing an earlier value of the same name.</summary>
    /// <param name="name">A metric name such as <c>words</c>.</param>
    /// <param name="value">The value.</param>
    public void SetMetric(string name, double value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _metrics[name] = value;
    }

    /// <summary>Adds a tag (slugified), as <c>Tags.Add</c> does.</summary>
    /// <param name="tag">Any text.</param>
    /// <returns>True when the tag was new.</returns>
    public bool AddTag(string tag) => Tags.Add(tag);

    /// <summary>Counts the words of the note's body the way <see cref="TextTools.CountWords"/> does.</summary>
    /// <returns>The number of words.</returns>
    public int CountWords() => TextTools.CountWords(Body);

    /// <summary>How many tags the note has.</summary>
    public int TagCount => Tags.Count;
}
