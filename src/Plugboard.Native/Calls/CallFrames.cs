using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Plugboard.Native.Calls;

/// <summary>
/// The stack of calls running on this thread and the tokens that name them. Per thread on purpose: the ABI binds
/// <c>call_ctx</c> and the sink to the invoking thread, so the check is "is this the innermost call on this very
/// thread", which needs no lock and no table. One thread-local pointer (<see cref="ThreadCalls"/>) reaches it all, so
/// a call costs one thread-local read to enter (the exit reuses it) and one per sink write.
/// </summary>
internal static unsafe class CallFrames
{
    /// <summary>The low bits of a token count calls; the high bits name the thread's block (64-bit processes only).</summary>
    public const int CounterBits = 44;

    private const long CounterMask = (1L << CounterBits) - 1;

    [ThreadStatic]
    private static ThreadCalls* t_calls;

    /// <summary>This thread's call state (attached on its first call).</summary>
    public static ThreadCalls* Current
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            ThreadCalls* calls = t_calls;
            return calls != null ? calls : t_calls = ThreadCallsRegistry.Attach();
        }
    }

    /// <summary>
    /// Gives the frame a fresh token, makes it the innermost call on this thread and publishes that it calls
    /// <paramref name="plugin"/>. Returns this thread's state for <see cref="Exit"/>, and whether the call was
    /// published (false only past <see cref="ThreadCalls.Published"/> nested calls: the caller counts it itself).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ThreadCalls* Enter(CallFrame* frame, long plugin, out bool published)
    {
        ThreadCalls* calls = Current;
        long token = calls->LastToken + 1;
        if ((token & CounterMask) == 0)
        {
            // 2^44 calls with this block: the counter starts again (it never runs into another block's tokens).
            token = calls->TokenBase | 1;
        }
        calls->LastToken = token;
        frame->Token = (nint)token;
        frame->Plugin = plugin;
        frame->Previous = calls->Top;
        calls->Top = frame;
        int depth = calls->Depth;
        published = depth < ThreadCalls.Published;
        if (published)
        {
            calls->Plugins[depth] = plugin;
        }
        // Release: the plugin number is visible before the depth that covers it (Dispose reads them from another thread).
        Volatile.Write(ref calls->Depth, depth + 1);
        return calls;
    }

    /// <summary>Ends the innermost call: its token stops matching at once (the frame keeps it, to claim its error).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Exit(ThreadCalls* calls, CallFrame* frame)
    {
        calls->Top = frame->Previous;
        Volatile.Write(ref calls->Depth, calls->Depth - 1);
    }

    /// <summary>
    /// The frame a token names, only if it is the innermost call on this thread; otherwise null. The token names its
    /// thread's block (never freed, so any value is safe to look up); the call runs on that block's thread exactly
    /// when an address on this stack lies in the owner's stack, which needs no thread-local read (the costly part
    /// inside a reverse P/Invoke). Where the platform gave no stack bounds, the thread-local decides. An entry of the
    /// table not yet handed out is zero, and a block whose fields another thread has not seen yet has no bounds and no
    /// top frame: both refuse.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static CallFrame* Find(nint token)
    {
        // Block 0 (no block) wraps to the largest index: one unsigned test refuses it and every number past the table.
        ulong index = ((ulong)token >> CounterBits) - 1;
        ThreadCalls* calls = index < ThreadCallsRegistry.TableCapacity
            ? (ThreadCalls*)ThreadCallsRegistry.Table[index]
            : FindPastTable(index);
        if (calls == null)
        {
            return null;
        }
        byte here = 0;
        if ((nuint)((nint)(&here) - calls->StackLow) >= (nuint)(calls->StackHigh - calls->StackLow)
            && (calls->StackHigh != 0 || t_calls != calls))
        {
            return null; // another thread's token
        }
        CallFrame* top = calls->Top;
        return top != null && top->Token == token ? top : null;
    }

    /// <summary>A block numbered past <see cref="ThreadCallsRegistry.Table"/> (more threads calling at once than it holds), or null.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ThreadCalls* FindPastTable(ulong index)
    {
        nint[] all = ThreadCallsRegistry.All;
        return index < (ulong)all.Length ? (ThreadCalls*)all[(int)index] : null;
    }

    /// <summary>The token of the innermost call on this thread, or 0 outside any call.</summary>
    public static nint CurrentToken
    {
        get
        {
            ThreadCalls* calls = t_calls;
            return calls == null || calls->Top == null ? 0 : calls->Top->Token;
        }
    }

    /// <summary>The frame of a running call of <paramref name="plugin"/> on this thread, or null: a re-entry.</summary>
    public static CallFrame* FindPlugin(long plugin)
    {
        ThreadCalls* calls = t_calls;
        for (CallFrame* frame = calls == null ? null : calls->Top; frame != null; frame = frame->Previous)
        {
            if (frame->Plugin == plugin)
            {
                return frame;
            }
        }
        return null;
    }

    /// <summary>
    /// Whether any thread has a published call of <paramref name="plugin"/> running. The caller first made its own
    /// "no more calls" flag visible and ran <see cref="Interlocked.MemoryBarrierProcessWide"/>: a call that entered
    /// before that is seen here, and a call that enters after it sees the flag (and leaves without calling).
    /// </summary>
    public static bool IsRunning(long plugin)
    {
        foreach (nint address in ThreadCallsRegistry.All)
        {
            var calls = (ThreadCalls*)address;
            int depth = Math.Min(Volatile.Read(ref calls->Depth), ThreadCalls.Published);
            for (int i = 0; i < depth; i++)
            {
                if (Volatile.Read(ref calls->Plugins[i]) == plugin)
                {
                    return true;
                }
            }
        }
        return false;
    }
}
