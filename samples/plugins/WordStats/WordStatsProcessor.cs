using Notebook.Api;

namespace WordStats;

/// <summary>Counts words with the host's own tokenizer and records them as metrics on the note.</summary>
public sealed class WordStatsProcessor : INoteProcessor
{
    public string Name => "word-stats";

    public string Process(Note note, NotebookStore store)
    {
        IReadOnlyList<string> words = TextTools.Tokenize(note.Body);
        int unique = words.Distinct(StringComparer.Ordinal).Count();
        note.SetMetric("words", words.Count);
        note.SetMetric("unique-words", unique);
        if (words.Count > 40)
        {
            note.Tags.Add("long read");
        }
        return $"{words.Count} words, {unique} unique";
    }
}
