using System.Text;

namespace Plugboard.Contracts.Bindings;

/// <summary>How C# names become C and Rust names: <c>GetTitle</c> → <c>get_title</c>, <c>notebook_notes</c> → <c>NotebookNotes</c>.</summary>
public static class NativeNames
{
    // C, C++ and Rust keywords a parameter or field name must not become (it gets a trailing underscore instead).
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else", "enum", "extern", "float", "for", "goto",
        "if", "inline", "int", "long", "register", "restrict", "return", "short", "signed", "sizeof", "static", "struct", "switch",
        "typedef", "union", "unsigned", "void", "volatile", "while", "bool", "class", "delete", "new", "private", "protected", "public",
        "template", "this", "throw", "try", "catch", "namespace", "operator", "virtual", "friend", "using", "true", "false",
        "as", "async", "await", "crate", "dyn", "fn", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "self",
        "Self", "super", "trait", "type", "unsafe", "use", "where", "yield", "box", "macro", "priv", "final", "override", "abstract", "become", "gen",
    };

    /// <summary>snake_case of a C# name: a word starts at each upper-case letter after a lower-case one or a digit, and before the last of a run of capitals (<c>URLPath</c> → <c>url_path</c>).</summary>
    /// <param name="name">The name.</param>
    /// <returns>The snake_case name.</returns>
    public static string Snake(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var text = new StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (char.IsUpper(c))
            {
                bool afterWord = i > 0 && name[i - 1] != '_' && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1])
                    || (char.IsUpper(name[i - 1]) && i + 1 < name.Length && char.IsLower(name[i + 1])));
                if (afterWord)
                {
                    text.Append('_');
                }
                text.Append(char.ToLowerInvariant(c));
            }
            else
            {
                text.Append(c is '.' or '-' ? '_' : c);
            }
        }
        return text.ToString();
    }

    /// <summary>PascalCase of a snake_case name (<c>notebook_notes_v1</c> → <c>NotebookNotesV1</c>).</summary>
    /// <param name="snake">The snake_case name.</param>
    /// <returns>The PascalCase name.</returns>
    public static string Pascal(string snake)
    {
        ArgumentNullException.ThrowIfNull(snake);
        return string.Concat(snake.Split('_', StringSplitOptions.RemoveEmptyEntries).Select(part => char.ToUpperInvariant(part[0]) + part[1..]));
    }

    /// <summary>A parameter or field name safe in C, C++ and Rust: snake_case, with a trailing underscore after a keyword.</summary>
    /// <param name="name">The C# name.</param>
    /// <returns>The identifier.</returns>
    public static string Identifier(string name)
    {
        string snake = Snake(name.TrimStart('@'));
        return Keywords.Contains(snake) ? snake + "_" : snake;
    }
}
