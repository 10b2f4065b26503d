namespace NotesWeb;

/// <summary>What the plugin answers for a note, as JSON: a type of the plugin's own, built from the host's <c>Note</c>.</summary>
public sealed record NoteSummary(int Id, string Title, int Words, string ServedBy);

/// <summary>A note to add, as the controller's POST receives it.</summary>
public sealed record NewNote(string Title, string Body);

/// <summary>Which build this is: NotesWeb.V2 compiles the same sources with V2 defined.</summary>
internal static class Build
{
#if V2
    public const string Version = "NotesWeb v2";
#else
    public const string Version = "NotesWeb v1";
#endif
}
