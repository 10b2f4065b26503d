namespace Plugboard.Contracts;

/// <summary>
/// What the host API's XML documentation says about a member, for the one comment line per function the bindings
/// carry: <c>&lt;summary&gt;</c>, and the Plugboard tags <c>&lt;thread&gt;</c> (on which thread, when) and
/// <c>&lt;ownership&gt;</c> (who owns what, for how long). Null where the docs say nothing.
/// </summary>
/// <param name="summary">The summary text, whitespace collapsed.</param>
/// <param name="thread">The thread rule.</param>
/// <param name="ownership">The ownership rule.</param>
public sealed class MemberDocumentation(string? summary, string? thread, string? ownership)
{
    /// <summary>No documentation.</summary>
    public static MemberDocumentation None { get; } = new(null, null, null);

    /// <summary>The summary text, whitespace collapsed.</summary>
    public string? Summary { get; } = summary;

    /// <summary>The thread rule (<c>&lt;thread&gt;</c>).</summary>
    public string? Thread { get; } = thread;

    /// <summary>The ownership rule (<c>&lt;ownership&gt;</c>).</summary>
    public string? Ownership { get; } = ownership;
}
