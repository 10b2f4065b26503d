namespace Plugboard.Native.Calls;

/// <summary>
/// The stack of calls running on this thread and the tokens that name them. Thread-static on purpose: the ABI binds
/// <c>call_ctx</c> and the sink to the invoking thread, so the check is "is this the innermost call on this very
/// thread", which needs no lock and no table.
/// </summary>
internal static unsafe class CallFrames
{
    private static long s_threadSeeds;

    [ThreadStatic]
    private static CallFrame* t_top;

    [ThreadStatic]
    private static long t_seed;

    [ThreadStatic]
    private static uint t_sequence;

    /// <summary>The innermost call on this thread, or null.</summary>
    public static CallFrame* Top => t_top;

    /// <summary>Gives the frame a fresh token and makes it the innermost call on this thread.</summary>
    public static void Push(CallFrame* frame)
    {
        long seed = t_seed;
        if (seed == 0)
        {
            // The high bits name the thread, the low bits count its calls: a token is never reused by another
            // thread, and on one thread only after 2^32 calls (by then the stale holder's frame is long gone).
            seed = t_seed = Interlocked.Increment(ref s_threadSeeds) << 32;
        }
        uint sequence = ++t_sequence;
        if (sequence == 0)
        {
            sequence = t_sequence = 1;
        }
        frame->Token = (nint)(seed | sequence);
        frame->Previous = t_top;
        t_top = frame;
    }

    /// <summary>Ends the innermost call: its token stops matching at once.</summary>
    public static void Pop(CallFrame* frame)
    {
        t_top = frame->Previous;
        frame->Token = 0;
    }

    /// <summary>The frame a token names, only if it is the innermost call on this thread; otherwise null.</summary>
    public static CallFrame* Find(nint token)
    {
        CallFrame* top = t_top;
        return token != 0 && top != null && top->Token == token ? top : null;
    }

    /// <summary>The frame of a running call of <paramref name="plugin"/> on this thread, or null: a re-entry.</summary>
    public static CallFrame* FindPlugin(long plugin)
    {
        for (CallFrame* frame = t_top; frame != null; frame = frame->Previous)
        {
            if (frame->Plugin == plugin)
            {
                return frame;
            }
        }
        return null;
    }
}
