using Microsoft.Extensions.Logging;

namespace Plugboard.Lifetime;

/// <summary>The host's lifecycle events.</summary>
internal enum PluginEventKind
{
    Loaded,
    Reloaded,
    ReloadFailed,
    Unloaded,
    Faulted,
    Abandoned,
}

/// <summary>
/// Raises the host's lifecycle events. While a lifecycle operation holds the <see cref="LifecycleLock"/>, events are
/// kept and raised once it is released, so a handler may start (and wait for) another lifecycle operation without
/// deadlocking. A handler that throws is logged and never breaks the lifecycle it observes.
/// </summary>
/// <param name="sender">The host, as the events' sender.</param>
/// <param name="logger">Where a throwing handler is reported.</param>
internal sealed class PluginEventSource(object sender, ILogger logger)
{
    private readonly EventHandler<PluginEventArgs>?[] _handlers = new EventHandler<PluginEventArgs>?[Enum.GetValues<PluginEventKind>().Length];
    private readonly Lock _gate = new();
    private List<(EventHandler<PluginEventArgs>? Handler, PluginEventArgs Args)>? _deferred;

    public void Subscribe(PluginEventKind kind, EventHandler<PluginEventArgs>? handler)
    {
        lock (_gate)
        {
            _handlers[(int)kind] += handler;
        }
    }

    public void Unsubscribe(PluginEventKind kind, EventHandler<PluginEventArgs>? handler)
    {
        lock (_gate)
        {
            _handlers[(int)kind] -= handler;
        }
    }

    /// <summary>Raises the event now, or once the lifecycle lock is released; the handlers are the ones subscribed now.</summary>
    public void Raise(PluginEventKind kind, PluginEventArgs args)
    {
        EventHandler<PluginEventArgs>? handler;
        lock (_gate)
        {
            handler = _handlers[(int)kind];
            if (_deferred is not null)
            {
                _deferred.Add((handler, args));
                return;
            }
        }
        Invoke(handler, args);
    }

    /// <summary>From now on, events wait for <see cref="TakeDeferred"/>.</summary>
    public void Defer()
    {
        lock (_gate)
        {
            _deferred = [];
        }
    }

    /// <summary>Stops deferring and returns the events kept, for <see cref="RaiseDeferred"/> once the lock is released.</summary>
    public List<(EventHandler<PluginEventArgs>? Handler, PluginEventArgs Args)> TakeDeferred()
    {
        lock (_gate)
        {
            List<(EventHandler<PluginEventArgs>? Handler, PluginEventArgs Args)> events = _deferred ?? [];
            _deferred = null;
            return events;
        }
    }

    public void RaiseDeferred(List<(EventHandler<PluginEventArgs>? Handler, PluginEventArgs Args)> events)
    {
        foreach ((EventHandler<PluginEventArgs>? handler, PluginEventArgs args) in events)
        {
            Invoke(handler, args);
        }
    }

    private void Invoke(EventHandler<PluginEventArgs>? handler, PluginEventArgs args)
    {
        try
        {
            handler?.Invoke(sender, args);
        }
#pragma warning disable CA1031 // A host's event handler must not break the plugin lifecycle it observes.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Internal.Log.HandlerThrew(logger, ex, args.PluginId);
        }
    }
}
