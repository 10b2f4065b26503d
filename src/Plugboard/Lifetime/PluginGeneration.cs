using System.Reflection;
using Plugboard.Loading;

namespace Plugboard.Lifetime;

/// <summary>
/// One loaded version of a plugin: its context, assembly and entry instances, and the count of calls in flight.
/// A reload creates a new generation beside the old one and retires the old one once its calls have finished.
/// </summary>
internal sealed class PluginGeneration<TContract>(PluginCatalogEntry entry, PluginLoadContext context, Assembly mainAssembly,
    IReadOnlyList<TContract> instances, IPluginContext pluginContext, LeakSuspects.Baseline baseline) where TContract : class
{
    private int _inFlight;
    private int _retiring;

    public PluginCatalogEntry Entry { get; } = entry;

    public IPluginContext PluginContext { get; } = pluginContext;

    public PluginLoadContext? Context { get; private set; } = context;

    public Assembly? MainAssembly { get; private set; } = mainAssembly;

    public IReadOnlyList<TContract> Instances { get; private set; } = instances;

    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Timers and threads when this version loaded, to tell what it may have left running.</summary>
    public LeakSuspects.Baseline Baseline { get; } = baseline;

    public bool IsRetiring => Volatile.Read(ref _retiring) != 0;

    /// <summary>Counts a call in; false when the generation is retiring (the caller retries on the current one).</summary>
    public bool TryEnter()
    {
        Interlocked.Increment(ref _inFlight);
        if (Volatile.Read(ref _retiring) != 0)
        {
            Interlocked.Decrement(ref _inFlight);
            return false;
        }
        return true;
    }

    public void Exit() => Interlocked.Decrement(ref _inFlight);

    /// <summary>Stops new calls from entering (they wait for the successor).</summary>
    public void BeginRetire() => Interlocked.Exchange(ref _retiring, 1);

    /// <summary>Lets calls enter again: the swap was abandoned.</summary>
    public void CancelRetire() => Interlocked.Exchange(ref _retiring, 0);

    /// <summary>Waits until no call is in flight, up to <paramref name="timeout"/>.</summary>
    /// <returns>True when drained.</returns>
    public async Task<bool> DrainAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        int delay = 0;
        while (InFlight > 0)
        {
            if (clock.Elapsed >= timeout)
            {
                return false;
            }
            // Calls are usually short: yield first, then back off to 1 ms sleeps.
            if (delay++ < 20)
            {
                await Task.Yield();
            }
            else
            {
                await Task.Delay(1, cancellationToken).ConfigureAwait(false);
            }
        }
        return true;
    }

    /// <summary>Drops every strong reference this generation holds to plugin code and returns the context to unload.</summary>
    public PluginLoadContext Release()
    {
        PluginLoadContext context = Context!;
        Instances = [];
        MainAssembly = null;
        Context = null;
        return context;
    }
}
