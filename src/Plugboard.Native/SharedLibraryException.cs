namespace Plugboard.Native;

/// <summary>
/// A shared library could not be opened or a symbol could not be found. <see cref="LoaderMessage"/> carries
/// the operating system loader's own words (dlerror() on Unix), which say what actually went wrong.
/// </summary>
public sealed class SharedLibraryException : Exception
{
    /// <summary>Creates the error.</summary>
    /// <param name="library">The path or name that was asked for.</param>
    /// <param name="symbol">The symbol that was looked up, if that is what failed.</param>
    /// <param name="loaderMessages">What the loader said for each name tried.</param>
    public SharedLibraryException(string library, string? symbol, IReadOnlyList<string> loaderMessages)
        : base(Describe(library, symbol, loaderMessages))
    {
        Library = library;
        Symbol = symbol;
        LoaderMessages = loaderMessages;
    }

    /// <summary>The path or name that was asked for.</summary>
    public string Library { get; }

    /// <summary>The symbol that was looked up, when the lookup failed; null when opening failed.</summary>
    public string? Symbol { get; }

    /// <summary>The loader's message for the most specific name tried.</summary>
    public string LoaderMessage => LoaderMessages.Count > 0 ? LoaderMessages[0] : string.Empty;

    /// <summary>The loader's message for every name tried, in order.</summary>
    public IReadOnlyList<string> LoaderMessages { get; }

    private static string Describe(string library, string? symbol, IReadOnlyList<string> messages)
    {
        string what = symbol is null ? $"Cannot open shared library '{library}'" : $"Symbol '{symbol}' not found in '{library}'";
        return messages.Count == 0 ? what + "." : what + ": " + string.Join(" | ", messages);
    }
}
