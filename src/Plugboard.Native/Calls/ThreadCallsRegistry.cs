using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Plugboard.Native.Calls;

/// <summary>Hands out <see cref="ThreadCalls"/> blocks, keeps the list Dispose scans, and takes blocks back from ended threads.</summary>
internal static unsafe class ThreadCallsRegistry
{
    private static readonly Lock s_gate = new();
    private static readonly Stack<nint> s_free = new();
    private static nint[] s_all = [];

    [ThreadStatic]
    private static Owner? t_owner;

    /// <summary>Gives this thread its block: a free one left by an ended thread, or a new one. Runs once per thread.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ThreadCalls* Attach()
    {
        ThreadCalls* block;
        lock (s_gate)
        {
            if (s_free.TryPop(out nint free))
            {
                block = (ThreadCalls*)free;
            }
            else
            {
                block = (ThreadCalls*)NativeMemory.AllocZeroed((nuint)sizeof(ThreadCalls));
                block->TokenBase = (long)(s_all.Length + 1) << CallFrames.CounterBits;
                block->LastToken = block->TokenBase;
                s_all = [.. s_all, (nint)block];
            }
            // Before this thread's first call: the sink's thread check reads them (a reused block keeps its counter).
            _ = ThreadStack.TryGetBounds(out block->StackLow, out block->StackHigh);
        }
        t_owner = new Owner(block);
        return block;
    }

    /// <summary>Every block ever handed out (those of ended threads have nothing running).</summary>
    public static nint[] All => Volatile.Read(ref s_all);

    /// <summary>
    /// Lives in a thread-static field of its thread, so it becomes garbage only when the thread has ended: its finalizer
    /// returns the block, whose calls have all returned by then.
    /// </summary>
    private sealed class Owner(ThreadCalls* block)
    {
        ~Owner()
        {
            lock (s_gate)
            {
                s_free.Push((nint)block);
            }
        }
    }
}
