using System.Runtime.InteropServices;

namespace Plugboard.Native.Calls;

/// <summary>
/// One thread's call state, in native memory so that one thread-local pointer reaches all of it: the innermost call
/// frame, the last token minted, and which plugins the thread is calling into right now. The last part is published
/// for <see cref="CallFrames.IsRunning"/> (Dispose asks it from another thread), which is why the block lives outside
/// the thread's stack and outlives the thread: a thread's block is handed to a later thread once the first one ended.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct ThreadCalls
{
    /// <summary>How many nested calls per thread are published; deeper ones are counted by the plugin (rare).</summary>
    public const int Published = 16;

    /// <summary>The innermost call running on this thread, or null. Read only by its own thread.</summary>
    public CallFrame* Top;

    /// <summary>The last token minted on this thread: high 32 bits a seed no other thread has, low 32 bits a counter.</summary>
    public long LastToken;

    /// <summary>How many calls are running on this thread (nesting through host callbacks); written only by it.</summary>
    public int Depth;

    /// <summary>The plugin (instance number) of each running call, outermost first, for the first <see cref="Published"/>.</summary>
    public fixed long Plugins[Published];
}
