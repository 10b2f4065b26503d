using System.Runtime.InteropServices;
using Notebook.Api;
using Notebook.Api.Native;
using Plugboard.Native;

namespace Notebook.NativeBridge;

/// <summary>
/// The note and store of the invoke running on this thread, reached from native code through <c>call_ctx</c>
/// (a <see cref="GCHandle"/> to this object). One per thread, allocated once, so processing allocates no handle per call.
/// It is the host's implementation of <c>notebook.notes/1</c>: the generated table (<c>Generated/NotebookApi.Native.cs</c>,
/// emitted by <c>plugboard bindgen --lang csharp-aot</c> from Notebook.Api's <c>INotebookNotes</c>) checks every argument,
/// catches every exception and calls these methods on the state <see cref="From"/> resolves the plugin's call_ctx to.
/// </summary>
// Both interfaces have the same members: the generated table serves the mirror; a generated proxy passes this object
// (as the API's INotebookNotes) as the notes handle of notebook.processor/1's process, reached back through the call token.
internal sealed class NoteCallState : Notebook.Api.Native.INotebookNotes, Notebook.Api.INotebookNotes
{
    [ThreadStatic]
    private static NoteCallState? t_current;

    private NoteCallState()
    {
        Handle = GCHandle.ToIntPtr(GCHandle.Alloc(this));
    }

    /// <summary>The handle passed as call_ctx; lives as long as the thread's state (the process).</summary>
    public nint Handle { get; }

    public Note? Note { get; set; }

    public NotebookStore? Store { get; set; }

    public string PluginName { get; set; } = string.Empty;

    public static NoteCallState ForCurrentThread() => t_current ??= new NoteCallState();

    /// <summary>
    /// The state of the call a plugin's <c>call_ctx</c> names, or null when that call is not the one running on this
    /// thread (stashed after its call, used from another thread or during another plugin's call): then PB_ERR_NO_CALL.
    /// </summary>
    public static NoteCallState? From(nint callContext)
    {
        // A contract call (notebook.processor/1 through the generated proxy) passes this state as its notes handle's host object.
        if (NativeCall.TryGetHostObject(callContext, out NoteCallState? passed))
        {
            return passed.Note is null ? null : passed;
        }
        if (!NativeCall.TryGetContext(callContext, out nint handle) || handle == 0)
        {
            return null;
        }
        var state = GCHandle.FromIntPtr(handle).Target as NoteCallState;
        return state?.Note is null ? null : state;
    }

    public string GetTitle() => Note!.Title;

    public string GetBody() => Note!.Body;

    public void AddTag(string tag) => Note!.Tags.Add(tag);

    public void SetMetric(string name, double value)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new NativeCallException(NotebookNotesV1.Id, "set_metric", NativeStatus.InvalidArgument, "the metric name is empty");
        }
        Note!.SetMetric(name, value);
    }

    public long CountWords(string text) => TextTools.CountWords(text);

    public int AddNote(string title, string body)
    {
        if (Store is null)
        {
            throw new NativeCallException(NotebookNotesV1.Id, "add_note", NativeStatus.Unsupported, "this call has no store");
        }
        if (string.IsNullOrWhiteSpace(title))
        {
            throw new NativeCallException(NotebookNotesV1.Id, "add_note", NativeStatus.InvalidArgument, "the title is empty");
        }
        return Store.Add(new Note(title, body) { Author = PluginName }).Id;
    }

    public int GetNoteId() => Note!.Id;
}
