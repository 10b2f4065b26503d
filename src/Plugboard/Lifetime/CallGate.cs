using System.Diagnostics;

namespace Plugboard.Lifetime;

/// <summary>
/// The one gate every call to a plugin version passes, whatever the plugin's kind: it counts calls in flight, closes
/// when the version retires (new calls go to the successor), and signals when the last call left, so a drain waits
/// on a signal instead of polling or spinning.
/// </summary>
internal sealed class CallGate
{
    private readonly Lock _lock = new();
    private int _inFlight;
    private volatile bool _closed;
    private TaskCompletionSource _drained = NewSignal();

    public int InFlight => Volatile.Read(ref _inFlight);

    public bool IsClosed => _closed;

    /// <summary>Counts a call in; false when the gate is closed (the caller goes to the successor).</summary>
    public bool TryEnter()
    {
        Interlocked.Increment(ref _inFlight);
        if (_closed)
        {
            Exit();
            return false;
        }
        return true;
    }

    /// <summary>Counts a call out; the last one out of a closed gate signals the drain.</summary>
    public void Exit()
    {
        if (Interlocked.Decrement(ref _inFlight) == 0 && _closed)
        {
            Volatile.Read(ref _drained).TrySetResult();
        }
    }

    /// <summary>Stops new calls from entering.</summary>
    public void Close()
    {
        lock (_lock)
        {
            Volatile.Write(ref _drained, NewSignal());
            _closed = true;
        }
        if (InFlight == 0)
        {
            Volatile.Read(ref _drained).TrySetResult();
        }
    }

    /// <summary>Lets calls enter again: the retirement was abandoned and this version keeps serving.</summary>
    public void Reopen()
    {
        lock (_lock)
        {
            _closed = false;
        }
    }

    /// <summary>Waits until no call is in flight, up to <paramref name="timeout"/>. Close the gate first.</summary>
    /// <returns>True when drained, false when the timeout passed with calls still running.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled first.</exception>
    public async Task<bool> DrainAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (InFlight > 0)
        {
            Task drained = Volatile.Read(ref _drained).Task;
            if (InFlight == 0)
            {
                break;
            }
            TimeSpan remaining = timeout - clock.Elapsed;
            if (remaining <= TimeSpan.Zero)
            {
                return false;
            }
            try
            {
                await drained.WaitAsync(remaining, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return InFlight == 0;
            }
            // A signal of an earlier close (or a call that bounced off the closed gate) may complete early: check again.
        }
        return true;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
