using System.Runtime.ExceptionServices;

namespace Plugboard.Native.Calls;

/// <summary>
/// Runs a native function (init, shutdown, a call with a deadline) on its own background thread and waits at most a
/// timeout for it. A thread stuck in native code cannot be stopped in-process, so on timeout it is abandoned, still
/// running; the caller gets control back and reports it. Out-of-process isolation (issue 18) is the cure for code
/// that must be killable.
/// </summary>
internal static class BoundedCall
{
    /// <summary>Runs <paramref name="body"/>, inline when <paramref name="timeout"/> is infinite.</summary>
    /// <returns>False when the timeout passed first; <paramref name="result"/> is then default.</returns>
    public static bool Run<T>(Func<T> body, TimeSpan timeout, string threadName, out T result)
    {
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            result = body();
            return true;
        }
        var state = new State<T>(body);
        var thread = new Thread(state.Execute) { IsBackground = true, Name = threadName };
        thread.Start();
        if (!state.Done.Wait(timeout))
        {
            result = default!;
            return false;
        }
        state.Error?.Throw();
        result = state.Result;
        return true;
    }

    private sealed class State<T>(Func<T> body)
    {
        public ManualResetEventSlim Done { get; } = new();

        public T Result { get; private set; } = default!;

        public ExceptionDispatchInfo? Error { get; private set; }

        public void Execute()
        {
            try
            {
                Result = body();
            }
            catch (Exception e)
            {
                Error = ExceptionDispatchInfo.Capture(e);
            }
            finally
            {
                Done.Set();
            }
        }
    }
}
