using System.Reflection;
using Plugboard.Lifetime;

namespace Plugboard;

/// <summary>
/// A loaded plugin: a stable handle whose current version may be replaced by hot reload. Call it through
/// <see cref="Invoke{TResult}"/> or <see cref="Acquire"/> so that reloads and unloads wait for calls in flight and
/// later calls reach the new version; <see cref="Instances"/> gives the current version's instances directly.
/// </summary>
/// <typeparam name="TContract">The host's contract type.</typeparam>
public sealed class LoadedPlugin<TContract> : IPluginSlot<TContract> where TContract : class
{
    private readonly PluginHost<TContract> _host;
    private PluginGeneration<TContract>? _current;
    private PluginCatalogEntry _entry;
    private volatile bool _restarting;
    private int _generation = 1;
    private volatile PluginState _state = PluginState.Loading;
    // Completed (and replaced) at every change of state or version: a call waiting for a swap waits on it, never spins.
    private TaskCompletionSource _changed = NewSignal();
    private readonly TimeSpan _waitLimit;

    private readonly CallFaults _faults;

    internal LoadedPlugin(PluginHost<TContract> host, PluginGeneration<TContract> generation, PluginHostOptions options)
    {
        _host = host;
        // A call waits at most for one swap: the new version's hooks, the old one's drain, a dependent's restart.
        _waitLimit = options.DrainTimeout + options.InitializationTimeout + options.InitializationTimeout + options.StopTimeout;
        _faults = new CallFaults(options.FaultThreshold);
        _current = generation;
        _entry = generation.Entry;
        Id = generation.Entry.Id;
    }

    /// <summary>The plugin id; it stays the same across reloads.</summary>
    public string Id { get; }

    /// <summary>The catalog entry of the current (or, after unload, the last) version.</summary>
    public PluginCatalogEntry Entry => Volatile.Read(ref _current)?.Entry ?? _entry;

    /// <summary>1 for the first load, incremented by every successful reload.</summary>
    public int Generation => Volatile.Read(ref _generation);

    /// <summary>The current version's entry instances. Empty after unload. Prefer <see cref="Invoke{TResult}"/> when reloads may happen.</summary>
    public IReadOnlyList<TContract> Instances => Volatile.Read(ref _current)?.Instances ?? [];

    /// <summary>Where the plugin is in its life: loading, active, reloading, retiring, faulted or unloaded.</summary>
    public PluginState State => _faults.IsFaulted && _state is PluginState.Active ? PluginState.Faulted : _state;

    /// <summary>True while a version is loaded (also during a reload).</summary>
    public bool IsLoaded => Volatile.Read(ref _current) is not null || _restarting;

    /// <summary>The context handed to the current version's hooks.</summary>
    public IPluginContext? PluginContext => Volatile.Read(ref _current)?.PluginContext;

    /// <summary>True when the plugin failed too many calls in a row (<see cref="PluginHostOptions.FaultThreshold"/>); a reload clears it.</summary>
    public bool IsFaulted => _faults.IsFaulted;

    /// <summary>The most recent exceptions plugin calls through <see cref="Invoke{TResult}"/> threw (up to 32), as text.</summary>
    public IReadOnlyList<PluginCodeException> RecentErrors => _faults.Recent;

    /// <summary>Where the current version runs: in the host's process, or out of process in a supervised worker (<see cref="PluginHostOptions.Isolation"/>).</summary>
    public PluginIsolation Isolation => Volatile.Read(ref _current)?.Code?.Isolation ?? PluginIsolation.InProcess;

    /// <summary>The process id of the worker an out-of-process plugin runs in, while one is up; null in process.</summary>
    internal int? WorkerProcessId => Volatile.Read(ref _current)?.Code?.WorkerProcessId;

    /// <summary>The process id of the worker waiting to take over after a crash, once it is up; null without one.</summary>
    internal int? StandbyWorkerProcessId => Volatile.Read(ref _current)?.Code?.StandbyWorkerProcessId;

    /// <summary>The name of the plugin's load context, as the runtime lists it in <c>AssemblyLoadContext.All</c>.</summary>
    public string LoadContextName => $"Plugboard:{Id}";

    /// <summary>
    /// Leases the current version for one call. While the lease is open, a reload or unload waits for it; a call
    /// that starts during a reload waits for the swap and then gets the new version. Dispose the lease once.
    /// </summary>
    /// <returns>The lease.</returns>
    /// <exception cref="PluginException">The plugin was unloaded (<see cref="PluginErrorCode.PluginUnloaded"/>).</exception>
    public PluginLease<TContract> Acquire() => new(Enter(out _));

    /// <summary>
    /// Counts a call into the current version and returns that version; <paramref name="seat"/> lets a call that
    /// ends on this thread leave without looking up its thread's cell again.
    /// </summary>
    private PluginGeneration<TContract> Enter(out CallGate.Seat seat)
    {
        // The fast path: small enough to stay cheap (no clock, no locals of the waiting path).
        PluginGeneration<TContract>? current = Volatile.Read(ref _current);
        if (current is not null && !_faults.IsFaulted && current.Gate.TryEnter(out seat))
        {
            return current;
        }
        return EnterWaiting(out seat);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private PluginGeneration<TContract> EnterWaiting(out CallGate.Seat seat)
    {
        if (_faults.IsFaulted)
        {
            throw new PluginException(PluginErrorCode.PluginFaulted, Id, _entry.MainFile,
                $"{FaultCause()} and is no longer called; the last error was: {_faults.Recent.LastOrDefault()?.OriginalType}: {_faults.Recent.LastOrDefault()?.Message}",
                "Fix the plugin and reload it (a reload clears the fault); LoadedPlugin.RecentErrors has the errors.");
        }
        // The deadline is taken only once a call has to wait.
        long deadline = Environment.TickCount64 + (long)_waitLimit.TotalMilliseconds;
        while (true)
        {
            Task changed = Volatile.Read(ref _changed).Task;
            PluginGeneration<TContract>? generation = Volatile.Read(ref _current);
            if (generation is not null && generation.Gate.TryEnter(out seat))
            {
                return generation;
            }
            if (generation is null && !_restarting)
            {
                throw new PluginException(PluginErrorCode.PluginUnloaded, Id, _entry.Directory,
                    "The plugin has been unloaded, so it cannot be called.", "Load the plugin again before calling it, or stop calling it after unloading.");
            }
            // A state-transfer swap or a cascade restart is under way: wait for it to end (it always does: it
            // completes or rolls back within the host's timeouts), bounded so a call never waits forever.
            long remaining = deadline - Environment.TickCount64;
            if (remaining <= 0 || !changed.Wait(TimeSpan.FromMilliseconds(remaining)))
            {
                throw new PluginException(PluginErrorCode.PluginBusy, Id, _entry.Directory,
                    $"The call waited {_waitLimit.TotalSeconds:0.###} s for a reload of the plugin to finish (state {State}).",
                    "Retry the call; if it keeps happening, look for a reload whose hooks or drain hang (PluginHostOptions.DrainTimeout, InitializationTimeout).");
            }
        }
    }

    /// <summary>Calls the current version's first entry instance, counted as a call in flight.</summary>
    /// <typeparam name="TResult">What the call returns.</typeparam>
    /// <param name="call">The call.</param>
    /// <returns>The call's result.</returns>
    /// <exception cref="PluginException">The plugin was unloaded or is faulted.</exception>
    public TResult Invoke<TResult>(Func<TContract, TResult> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        // Synchronous: the call ends on the thread it began on, so it leaves through its seat.
        PluginGeneration<TContract> generation = Enter(out CallGate.Seat seat);
        try
        {
            TResult result = call(generation.First ?? new PluginLease<TContract>(generation).Instance);
            _faults.Succeeded();
            return result;
        }
        catch (Exception ex)
        {
            RecordFailure(ex);
            throw;
        }
        finally
        {
            generation.Gate.Exit(seat);
        }
    }

    /// <summary>Calls the current version's first entry instance, counted as a call in flight.</summary>
    /// <param name="call">The call.</param>
    /// <exception cref="PluginException">The plugin was unloaded or is faulted.</exception>
    public void Invoke(Action<TContract> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        PluginGeneration<TContract> generation = Enter(out CallGate.Seat seat);
        try
        {
            call(generation.First ?? new PluginLease<TContract>(generation).Instance);
            _faults.Succeeded();
        }
        catch (Exception ex)
        {
            RecordFailure(ex);
            throw;
        }
        finally
        {
            generation.Gate.Exit(seat);
        }
    }

    /// <summary>Calls the current version's first entry instance asynchronously; the version stays leased until the task completes.</summary>
    /// <typeparam name="TResult">What the call returns.</typeparam>
    /// <param name="call">The call.</param>
    /// <returns>The call's result.</returns>
    /// <exception cref="PluginException">The plugin was unloaded or is faulted.</exception>
    public async Task<TResult> InvokeAsync<TResult>(Func<TContract, Task<TResult>> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        using PluginLease<TContract> lease = Acquire();
        try
        {
            TResult result = await call(lease.Instance).ConfigureAwait(false);
            _faults.Succeeded();
            return result;
        }
        catch (Exception ex)
        {
            RecordFailure(ex);
            throw;
        }
    }

    /// <summary>
    /// Reloads the plugin from its folder: the new version is discovered, checked and initialized beside the old one,
    /// then swapped in atomically; calls in flight finish on the old version, which is then retired and verified collected.
    /// If anything fails, the old version keeps serving. Plugins that depend on this one are restarted after it.
    /// </summary>
    /// <param name="cancellationToken">
    /// Cancels the reload while it can still roll back: before the swap, the new version is discarded and the old one
    /// keeps serving (<see cref="ReloadResult.Error"/> is <see cref="PluginErrorCode.ReloadCanceled"/>); once the swap is
    /// done, the reload completes. Cancelled before it began, it throws <see cref="OperationCanceledException"/> and nothing changed.
    /// </param>
    /// <returns>What happened; never throws for a bad new version.</returns>
    public Task<ReloadResult> ReloadAsync(CancellationToken cancellationToken = default) => _host.ReloadAsync(this, cancellationToken);

    /// <summary>
    /// Unloads the plugin (after the plugins that depend on it): waits for calls in flight (bounded by
    /// <see cref="PluginHostOptions.DrainTimeout"/>), runs the stop hooks, unloads the context and waits a bounded number of
    /// garbage collections for it to be collected. Drop your references to its instances first.
    /// </summary>
    /// <param name="cancellationToken">
    /// Cancelled before the unload began, it throws <see cref="OperationCanceledException"/> and the plugin stays loaded.
    /// Once begun, the unload completes: cancelling only stops waiting for calls in flight (the report counts them); the
    /// stop hooks still run (bounded by <see cref="PluginHostOptions.StopTimeout"/>).
    /// </param>
    /// <returns>The report; <see cref="UnloadReport.Collected"/> tells whether the plugin really is gone.</returns>
    /// <exception cref="InvalidOperationException">The plugin was already unloaded.</exception>
    public Task<UnloadReport> UnloadAsync(CancellationToken cancellationToken = default) => _host.UnloadAsync(this, cancellationToken);

    internal PluginGeneration<TContract>? Current => Volatile.Read(ref _current);

    private void RecordFailure(Exception exception)
    {
        // An out-of-process plugin whose worker crashed too often is faulted at once, whatever the threshold.
        if (_faults.Failed(exception, faultNow: exception is PluginException { Code: PluginErrorCode.WorkerCrashLimitReached }))
        {
            _host.OnFaulted(this, new PluginException(PluginErrorCode.PluginFaulted, Id, _entry.MainFile,
                $"{FaultCause()} and is no longer called; the last error was: {exception.GetType().FullName}: {exception.Message}",
                "Fix the plugin and reload it (a reload clears the fault); LoadedPlugin.RecentErrors has the errors."));
        }
    }

    private string FaultCause() => _faults.FaultedAtOnce
        ? "The plugin's worker process crashed too often and is not restarted"
        : $"The plugin failed {_faults.Consecutive} calls in a row";

    internal Assembly? MainAssembly => Current?.MainAssembly;

    /// <summary>Makes <paramref name="next"/> the version new calls reach; returns the previous one.</summary>
    internal PluginGeneration<TContract>? Swap(PluginGeneration<TContract>? next, bool restarting = false)
    {
        _restarting = restarting;
        if (next is not null)
        {
            _entry = next.Entry;
        }
        PluginGeneration<TContract>? previous = Interlocked.Exchange(ref _current, next);
        if (next is not null && previous is not null)
        {
            Interlocked.Increment(ref _generation);
            _faults.Reset();
        }
        MoveTo(next is not null ? PluginState.Active : restarting ? PluginState.Reloading : PluginState.Retiring);
        return previous;
    }

    internal void EndRestart(PluginGeneration<TContract>? next)
    {
        if (next is not null)
        {
            _entry = next.Entry;
            Interlocked.Exchange(ref _current, next);
            Interlocked.Increment(ref _generation);
            _faults.Reset();
        }
        _restarting = false;
        MoveTo(next is not null ? PluginState.Active : PluginState.Unloaded);
    }

    /// <summary>Abandons a state-transfer swap: the old version's gate opens again and waiting calls go to it.</summary>
    internal void RollBack(PluginGeneration<TContract> old)
    {
        old.Gate.Reopen();
        MoveTo(PluginState.Active);
    }

    /// <summary>Records a state change and wakes every call waiting for one.</summary>
    internal void MoveTo(PluginState state)
    {
        _state = state;
        Interlocked.Exchange(ref _changed, NewSignal()).TrySetResult();
    }

    PluginGeneration<TContract>? IPluginSlot<TContract>.Current => Current;

    PluginGeneration<TContract>? IPluginSlot<TContract>.Swap(PluginGeneration<TContract>? next, bool restarting) => Swap(next, restarting);

    void IPluginSlot<TContract>.EndRestart(PluginGeneration<TContract>? next) => EndRestart(next);

    void IPluginSlot<TContract>.RollBack(PluginGeneration<TContract> old) => RollBack(old);

    void IPluginSlot<TContract>.MoveTo(PluginState state) => MoveTo(state);

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <inheritdoc />
    public override string ToString() => $"{Id} {Entry.Version} (generation {Generation}, {(IsLoaded ? "loaded" : "unloaded")})";
}
