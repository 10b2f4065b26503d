using Microsoft.Extensions.Logging;

namespace Plugboard.Lifetime;

/// <summary>
/// Gives up on a plugin whose initialize or stop hook timed out with its code still running: its context is kept in
/// <see cref="AbandonedContexts"/> until that code ends, and the host is told once (log and event).
/// </summary>
internal sealed class Abandonment(PluginEventSource events, ILogger logger)
{
    private readonly AbandonedContexts _contexts = new();

    /// <summary>The abandoned plugins whose context is still in memory.</summary>
    public IReadOnlyList<AbandonedPlugin> Alive => _contexts.Alive;

    public void Abandon(string id, string hook, PluginException error, WeakReference context, string? version)
    {
        _contexts.Add(new AbandonedPlugin(id, hook, error), context);
        Internal.Log.Abandoned(logger, id, hook, _contexts.Alive.Count);
        events.Raise(PluginEventKind.Abandoned, new PluginEventArgs(id, version, error: error));
    }
}
