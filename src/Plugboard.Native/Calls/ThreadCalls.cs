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

    /// <summary>
    /// The last token minted with this block: the high bits are <see cref="TokenBase"/> (which block), the low
    /// <see cref="CallFrames.CounterBits"/> a counter that goes on across the block's owners, so no token repeats.
    /// </summary>
    public long LastToken;

    /// <summary>The block's number in the high bits of its tokens (its index in the registry, plus one).</summary>
    public long TokenBase;

    /// <summary>The owner thread's stack, [low, high), or 0 and 0 when the platform did not say.</summary>
    public nint StackLow;

    /// <summary>See <see cref="StackLow"/>.</summary>
    public nint StackHigh;

    /// <summary>How many calls are running on this thread (nesting through host callbacks); written only by it.</summary>
    public int Depth;

    /// <summary>The plugin (instance number) of each running call, outermost first, for the first <see cref="Published"/>.</summary>
    public fixed long Plugins[Published];
}
