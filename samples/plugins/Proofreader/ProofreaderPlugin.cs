using Notebook.Api;

namespace Proofreader;

/// <summary>
/// Finds doubled words ("the the"). It serves both Notebook contracts: <see cref="INoteProcessor"/> in the sample's
/// main host, in process, and <see cref="INoteChecker"/>, which the sample runs out of process. As a checker it has a
/// deliberate fatal bug: a note whose text contains <see cref="CrashRequest"/> ends its process, the way a plugin's
/// unhandled crash would end a host that ran it in process.
/// </summary>
public sealed class ProofreaderPlugin : INoteProcessor, INoteChecker
{
    /// <summary>The text that makes <see cref="Check"/> end the process it runs in.</summary>
    public const string CrashRequest = "#crash-the-proofreader";

    public string Name => "proofreader";

    public string Process(Note note, NotebookStore store)
    {
        int doubled = DoubledWords(note.Body);
        note.SetMetric("doubled-words", doubled);
        return $"{doubled} doubled words";
    }

    public string Check(string title, string body)
    {
        if (body.Contains(CrashRequest, StringComparison.Ordinal))
        {
            Environment.FailFast($"the proofreader was asked to crash by note '{title}'");
        }
        // The process id shows where the check ran: the worker's, and after a crash its successor's.
        return $"{DoubledWords(body)} doubled words (pid {Environment.ProcessId})";
    }

    private static int DoubledWords(string text)
    {
        IReadOnlyList<string> words = TextTools.Tokenize(text);
        return Enumerable.Range(1, Math.Max(0, words.Count - 1)).Count(i => words[i] == words[i - 1]);
    }
}
