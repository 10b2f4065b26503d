using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Plugboard.Native.Calls;

/// <summary>Hands out <see cref="ThreadCalls"/> blocks, keeps the list Dispose scans, and takes blocks back from ended threads.</summary>
internal static unsafe class ThreadCallsRegistry
{
    /// <summary>
    /// How many blocks <see cref="Table"/> holds: 512 KB of address space, of which only the pages of blocks handed out
    /// are ever touched. Blocks are reused once their thread ended, so this bounds threads calling at the same time, not
    /// threads over the process's life; blocks past it are reached through <see cref="All"/> instead.
    /// </summary>
    public const int TableCapacity = 1 << 16;

    /// <summary>
    /// Block number minus one → block, for the first <see cref="TableCapacity"/> blocks; zero where none was handed out.
    /// Native memory at an address fixed for the process: the JIT folds it into the sink as a constant, so the sink
    /// reaches a token's block in one load (through <see cref="All"/> it took the static, the array's length and its
    /// element: about 2 ns more per write on the benchmark machine).
    /// </summary>
    public static readonly nint* Table = (nint*)NativeMemory.AllocZeroed(TableCapacity, (nuint)sizeof(nint));

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
                if (s_all.Length < TableCapacity)
                {
                    // The block's fields first: a sink on another thread that finds the entry reads them (x64 and arm64
                    // keep these stores in order only with the release below).
                    Volatile.Write(ref Table[s_all.Length], (nint)block);
                }
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
