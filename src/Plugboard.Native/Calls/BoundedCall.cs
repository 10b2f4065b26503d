using System.Runtime.ExceptionServices;

namespace Plugboard.Native.Calls;

/// <summary>
/// Runs a native function (init, shutdown, a call with a deadline) on a host call thread and waits at most a timeout
/// for it. A thread stuck in native code cannot be stopped in-process, so on timeout it is abandoned, still running;
/// the caller gets control back and reports it. Out-of-process isolation (issue 18) is the cure for code that must be
/// killable. Call threads are reused (<see cref="CallThreads"/>): a call that returns in time costs a hand-off to an
/// idle thread, not a thread start.
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
        return Start(body, threadName).Wait(timeout, out result);
    }

    /// <summary>Starts <paramref name="body"/> on a call thread and returns at once; <see cref="Pending{T}.Wait"/> collects it.</summary>
    public static Pending<T> Start<T>(Func<T> body, string threadName)
    {
        var pending = new Pending<T>(body);
        CallThreads.Run(pending.Execute, pending.Complete, threadName);
        return pending;
    }

    /// <summary>A started bounded call.</summary>
    internal sealed class Pending<T>(Func<T> body)
    {
        private readonly ManualResetEventSlim _done = new();
        // For a waiter that must not hold a thread while the call runs (a host loading many plugins at once).
        private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T _result = default!;
        private ExceptionDispatchInfo? _error;
        private int _abandoned;

        /// <summary>Waits at most <paramref name="timeout"/> (from now) for the call; rethrows what it threw.</summary>
        /// <returns>False when the timeout passed first; <paramref name="result"/> is then default.</returns>
        public bool Wait(TimeSpan timeout, out T result)
        {
            if (!_done.Wait(timeout))
            {
                Volatile.Write(ref _abandoned, 1);
                result = default!;
                return false;
            }
            _error?.Throw();
            result = _result;
            return true;
        }

        /// <summary>
        /// Completes (never faults) when the call completed or <paramref name="timeout"/> (from now) passed, whichever
        /// comes first, holding no thread meanwhile; <see cref="Wait"/> then gives the verdict without waiting.
        /// </summary>
        public Task Settled(TimeSpan timeout) =>
            // WaitAsync drops its timer once the call completes: no timer outlives a call that returned in time.
            timeout <= TimeSpan.Zero ? Task.CompletedTask
                : _completed.Task.WaitAsync(timeout).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

        /// <summary>Runs the call; returns false when its caller gave up waiting (the call came back late).</summary>
        internal bool Execute()
        {
            try
            {
                _result = body();
            }
            catch (Exception e)
            {
                _error = ExceptionDispatchInfo.Capture(e);
            }
            return Volatile.Read(ref _abandoned) == 0;
        }

        /// <summary>Wakes the waiter; the call thread calls it once it is ready for the next call.</summary>
        internal void Complete()
        {
            _done.Set();
            _completed.TrySetResult();
        }
    }
}
