using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Notebook.Api;
using Plugboard.AspNetCore;

namespace NotesWeb;

/// <summary>
/// The plugin's minimal-API endpoints, under the prefix the host gives it (<c>/plugins/notes-web</c>). They take the
/// host's <see cref="NotebookStore"/> from dependency injection, the same instance the host and its controllers use.
/// </summary>
public sealed class NotesEndpoints : IWebPlugin
{
    public void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/notes", (NotebookStore store) => store.Notes.Select(Summary.Of));
        endpoints.MapGet("/notes/{id:int}/slug", (int id, NotebookStore store) =>
            store.Find(id) is Note note ? Results.Text(TextTools.Slugify(note.Title)) : Results.NotFound());
#if V2
        // New in version 2: appears with the reload, without a restart of the server.
        endpoints.MapGet("/search", (string q, NotebookStore store) =>
            store.Notes.Where(n => n.Body.Contains(q, StringComparison.OrdinalIgnoreCase)).Select(Summary.Of));
#endif
    }
}

/// <summary>One note as the plugin shows it.</summary>
internal static class Summary
{
    public static NoteSummary Of(Note note) => new(note.Id, note.Title, TextTools.CountWords(note.Body), Build.Version);
}
