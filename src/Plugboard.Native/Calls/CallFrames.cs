namespace Plugboard.Native.Calls;

/// <summary>
/// The stack of calls running on this thread and the tokens that name them. Thread-static on purpose: the ABI binds
/// <c>call_ctx</c> and the sink to the invoking thread, so the check is "is this the innermost call on this very
/// thread", which needs no lock and no table.
/// </summary>
internal static unsafe class CallFrames
{
    private static long s_threadSeeds;

    // One thread-static struct, reached by ref: one thread-local lookup per push, pop or check.
    [ThreadStatic]
    private static ThreadCalls t_calls;

    /// <summary>Gives the frame a fresh token and makes it the innermost call on this thread.</summary>
    public static void Push(CallFrame* frame)
    {
        ref ThreadCalls calls = ref t_calls;
        if (calls.Seed == 0)
        {
            // The high bits name the thread, the low bits count its calls: a token is never reused by another
            // thread, and on one thread only after 2^32 calls (by then the stale holder's frame is long gone).
            calls.Seed = Interlocked.Increment(ref s_threadSeeds) << 32;
        }
        if (++calls.Sequence == 0)
        {
            calls.Sequence = 1;
        }
        frame->Token = (nint)(calls.Seed | calls.Sequence);
        frame->Previous = calls.Top;
        calls.Top = frame;
    }

    /// <summary>Ends the innermost call: its token stops matching at once.</summary>
    public static void Pop(CallFrame* frame)
    {
        t_calls.Top = frame->Previous;
        frame->Token = 0;
    }

    /// <summary>The frame a token names, only if it is the innermost call on this thread; otherwise null.</summary>
    public static CallFrame* Find(nint token)
    {
        CallFrame* top = t_calls.Top;
        return token != 0 && top != null && top->Token == token ? top : null;
    }

    /// <summary>The frame of a running call of <paramref name="plugin"/> on this thread, or null: a re-entry.</summary>
    public static CallFrame* FindPlugin(long plugin)
    {
        for (CallFrame* frame = t_calls.Top; frame != null; frame = frame->Previous)
        {
            if (frame->Plugin == plugin)
            {
                return frame;
            }
        }
        return null;
    }

    private struct ThreadCalls
    {
        public CallFrame* Top;
        public long Seed;
        public uint Sequence;
    }
}
