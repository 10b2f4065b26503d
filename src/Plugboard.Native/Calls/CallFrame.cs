using System.Runtime.InteropServices;

namespace Plugboard.Native.Calls;

/// <summary>
/// The state of one <c>invoke</c>: the token handed to the plugin as both <c>call_ctx</c> and <c>out_ctx</c>, where
/// its output goes, how much it may write, and the frame it interrupted on this thread (a host callback that invokes
/// another plugin). Lives on the stack of the thread running the native call, so the common path allocates nothing.
/// </summary>
/// <remarks>
/// The plugin never gets a pointer to this struct, only <see cref="Token"/>. Host functions turn a token back into a
/// frame only through <see cref="CallFrames.Find"/>, which accepts it only as the innermost call on the calling thread:
/// a stashed token (after the call, from another thread, during another plugin's call) matches nothing and gets
/// <c>PB_ERR_NO_CALL</c>, so no dead stack frame is ever written and no other call's state is touched.
/// </remarks>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct CallFrame
{
    /// <summary>What the plugin sees as <c>call_ctx</c> and <c>out_ctx</c>; unique per call and thread, never zero.</summary>
    public nint Token;

    /// <summary>The frame this call interrupted on the same thread, or null.</summary>
    public CallFrame* Previous;

    /// <summary>Identifies the plugin being called (its instance number), for the re-entrancy check.</summary>
    public long Plugin;

    /// <summary>The caller's own context (the <c>callContext</c> argument of Invoke), reached through <see cref="NativeCall"/>.</summary>
    public nint UserContext;

    /// <summary>Where this call's host objects start in this thread's <see cref="CallHostObjects"/> (a contract call's handles).</summary>
    public int HostObjectsStart;

    /// <summary>How many host objects this call passed (0 for invoke and for contract calls without handles).</summary>
    public int HostObjectsCount;

    /// <summary>The operation name, borrowed for the call; named in the re-entrancy error.</summary>
    public byte* Operation;

    /// <summary>Length of <see cref="Operation"/>.</summary>
    public int OperationLength;

    /// <summary>A caller's fixed buffer, or null when <see cref="Writer"/> receives the output.</summary>
    public byte* Buffer;

    /// <summary>Capacity of <see cref="Buffer"/>.</summary>
    public int Capacity;

    /// <summary>Bytes stored in <see cref="Buffer"/>.</summary>
    public int Length;

    /// <summary>A <see cref="GCHandle"/> to an <see cref="System.Buffers.IBufferWriter{T}"/> that receives the output, or zero.</summary>
    public nint Writer;

    /// <summary>Bytes the plugin tried to write in total (also past the limit or the buffer), to say how much was needed.</summary>
    public long Needed;

    /// <summary>The per-call output limit (<see cref="NativePluginLoaderOptions.MaxOutputBytes"/>).</summary>
    public long Limit;

    /// <summary>Set when a write was refused because it would pass <see cref="Limit"/>.</summary>
    public bool LimitExceeded;

    /// <summary>Set when any write was refused (the limit, a full <see cref="Buffer"/>, a failing writer): one test on the success path.</summary>
    public bool Refused;

    /// <summary>Set when a write was refused because <see cref="Buffer"/> is full.</summary>
    public readonly bool BufferOverflowed => Buffer != null && Needed > Capacity && !LimitExceeded;
}
