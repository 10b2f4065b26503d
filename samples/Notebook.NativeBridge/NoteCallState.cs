using System.Runtime.InteropServices;
using Notebook.Api;
using Plugboard.Native;

namespace Notebook.NativeBridge;

/// <summary>
/// The note and store of the invoke running on this thread, reached from native code through <c>call_ctx</c>
/// (a <see cref="GCHandle"/> to this object). One per thread, allocated once, so processing allocates no handle per call.
/// </summary>
internal sealed class NoteCallState
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
        if (!NativeCall.TryGetContext(callContext, out nint handle) || handle == 0)
        {
            return null;
        }
        var state = GCHandle.FromIntPtr(handle).Target as NoteCallState;
        return state?.Note is null ? null : state;
    }
}
