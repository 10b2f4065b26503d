using System.Collections.Concurrent;

namespace Plugboard.Lifetime;

/// <summary>
/// Counts a plugin's consecutive failed calls and keeps the most recent errors. Past the threshold the plugin is
/// faulted: calls are refused with a typed error instead of reaching code that fails every time.
/// </summary>
internal sealed class CallFaults(int threshold)
{
    private const int Kept = 32;
    private readonly ConcurrentQueue<PluginCodeException> _recent = new();
    private int _consecutive;
    private int _faulted;

    public bool IsFaulted => Volatile.Read(ref _faulted) != 0;

    /// <summary>Whether the fault came from one failure that faults at once (a worker past its crash limit), not from the count.</summary>
    public bool FaultedAtOnce => Volatile.Read(ref _faulted) == 2;

    public int Consecutive => Volatile.Read(ref _consecutive);

    public IReadOnlyList<PluginCodeException> Recent => [.. _recent];

    public void Succeeded()
    {
        if (Volatile.Read(ref _consecutive) != 0)
        {
            Interlocked.Exchange(ref _consecutive, 0);
        }
    }

    /// <summary>Records a failure; true when this failure crossed the threshold (or, with <paramref name="faultNow"/>, faulted the plugin whatever the count).</summary>
    public bool Failed(Exception exception, bool faultNow = false)
    {
        _recent.Enqueue(new PluginCodeException(exception));
        while (_recent.Count > Kept && _recent.TryDequeue(out _))
        {
        }
        int count = Interlocked.Increment(ref _consecutive);
        return (faultNow || (threshold > 0 && count >= threshold)) && Interlocked.CompareExchange(ref _faulted, faultNow ? 2 : 1, 0) == 0;
    }

    /// <summary>A new version starts with a clean slate; the errors stay for diagnosis.</summary>
    public void Reset()
    {
        Interlocked.Exchange(ref _consecutive, 0);
        Interlocked.Exchange(ref _faulted, 0);
    }
}
