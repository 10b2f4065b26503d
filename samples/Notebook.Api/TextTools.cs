using System.Text;

namespace Notebook.Api;

/// <summary>Text utilities the application uses and offers to plugins, so every plugin counts and normalizes words the same way.</summary>
public static class TextTools
{
    /// <summary>Splits text into lower-case words (letters and digits; apostrophes inside words kept).</summary>
    /// <param name="text">Any text.</param>
    /// <returns>The words, in order.</returns>
    public static IReadOnlyList<string> Tokenize(string text)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        foreach (char c in text ?? string.Empty)
        {
            if (char.IsLetterOrDigit(c) || (c == '\'' && current.Length > 0))
            {
                current.Append(char.ToLowerInvariant(c));
            }
            else if (current.Length > 0)
            {
                words.Add(current.ToString().TrimEnd('\''));
                current.Clear();
            }
        }
        if (current.Length > 0)
        {
            words.Add(current.ToString().TrimEnd('\''));
        }
        return words;
    }

    /// <summary>Counts the words of a text, as <see cref="Tokenize"/> splits them.</summary>
    /// <param name="text">Any text.</param>
    /// <returns>The number of words.</returns>
    public static int CountWords(string text) => Tokenize(text).Count;

    /// <summary>Normalizes text to a tag: lower-case words joined by '-'.</summary>
    /// <param name="text">Any text.</param>
    /// <returns>The slug; empty when the text has no letters or digits.</returns>
    public static string Slugify(string text) => string.Join('-', Tokenize(text));
}
