using Microsoft.AspNetCore.Mvc;
using Notebook.Api;

namespace NotesWeb;

/// <summary>
/// The plugin's MVC controller: served under the plugin's prefix (<c>/plugins/notes-web/api/notes</c>) when the host
/// runs MVC, replaced on reload and gone on unload like the minimal-API endpoints.
/// </summary>
[ApiController]
[Route("api/notes")]
public sealed class NotesController(NotebookStore store) : ControllerBase
{
    [HttpGet("{id:int}")]
    public ActionResult<NoteSummary> Get(int id) => store.Find(id) is Note note ? Summary.Of(note) : NotFound();

    [HttpPost]
    public ActionResult<NoteSummary> Add(NewNote note)
    {
        Note added = store.Add(new Note(note.Title, note.Body));
        return Created($"{Request.PathBase}{Request.Path}/{added.Id}", Summary.Of(added));
    }
}
