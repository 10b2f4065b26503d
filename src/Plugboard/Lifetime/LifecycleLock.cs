namespace Plugboard.Lifetime;

/// <summary>
/// One lifecycle change (load, reload, unload) at a time: cascades walk the dependency graph and must see it still.
/// The events of the operation holding the lock are raised once it is released (<see cref="PluginEventSource"/>).
/// </summary>
internal sealed class LifecycleLock(PluginEventSource events)
{
    private readonly SemaphoreSlim _semaphore = new(1, 1);

    /// <summary>Waits for the lock; cancelled while waiting, it throws and nothing changed.</summary>
    private async Task EnterAsync(CancellationToken cancellationToken)
    {
        await _semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
        events.Defer();
    }

    /// <summary>Runs <paramref name="operation"/> holding the lock; its events are raised after the lock is released.</summary>
    public async Task<T> RunAsync<T>(Func<Task<T>> operation, CancellationToken cancellationToken)
    {
        await EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await operation().ConfigureAwait(false);
        }
        finally
        {
            Exit();
        }
    }

    /// <summary>Releases the lock, then raises the events the operation produced.</summary>
    private void Exit()
    {
        List<(EventHandler<PluginEventArgs>? Handler, PluginEventArgs Args)> deferred = events.TakeDeferred();
        _semaphore.Release();
        events.RaiseDeferred(deferred);
    }
}
