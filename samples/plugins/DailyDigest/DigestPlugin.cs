using Notebook.Api;
using Plugboard;

[assembly: PluginId("daily-digest")]
[assembly: PluginEntry(typeof(DailyDigest.DigestPlugin))]

namespace DailyDigest;

/// <summary>
/// Writes a digest note into the host's store once every note has been seen: the plugin creates an object of a
/// host API type, and the host stores and prints it as its own.
/// </summary>
public sealed class DigestPlugin(IPluginContext context) : INoteProcessor
{
    private readonly HashSet<int> _seen = [];

    public string Name => "daily-digest";

    public string Process(Note note, NotebookStore store)
    {
        if (note.Author == Name)
        {
            return "skipped its own digest";
        }
        _seen.Add(note.Id);
        List<Note> userNotes = store.Notes.Where(n => n.Author != Name).ToList();
        if (userNotes.Any(n => !_seen.Contains(n.Id)) || store.Notes.Any(n => n.Author == Name))
        {
            return "waiting for the rest of the notes";
        }
        int words = userNotes.Sum(n => TextTools.CountWords(n.Body));
        string tags = string.Join(", ", userNotes.SelectMany(n => n.Tags).Distinct().Order());
        var digest = new Note($"Digest of {userNotes.Count} notes", $"{userNotes.Count} notes, {words} words. Tags: {tags}.") { Author = Name };
        digest.Tags.Add("digest");
        store.Add(digest);
        context.Log.Write(PluginLogLevel.Information, $"Wrote digest note {digest.Id}");
        return $"added note #{digest.Id} '{digest.Title}'";
    }
}
