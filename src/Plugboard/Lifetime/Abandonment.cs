using Microsoft.Extensions.Logging;

namespace Plugboard.Lifetime;

/// <summary>
/// Gives up on a plugin whose initialize, start or stop hook timed out with its code still running: its context is kept in
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
        Internal.Log.Abandoned(logger, id, hook, LeakSuspects.Outcome(error), _contexts.Alive.Count);
        events.Raise(PluginEventKind.Abandoned, new PluginEventArgs(id, version, error: error));
    }

    /// <summary>After a retirement: a version whose start or stop hook timed out and whose context stayed alive is abandoned.</summary>
    public void AbandonIfStuck(GenerationRetirement.Released released, UnloadReport report)
    {
        if (!report.Collected && released.Stuck is GenerationRetirement.Stuck stuck && released.Code.Collectible is WeakReference left)
        {
            Abandon(released.Id, stuck.Hook, stuck.Error, left, released.Version);
        }
    }
}
