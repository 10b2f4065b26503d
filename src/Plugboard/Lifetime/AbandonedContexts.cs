namespace Plugboard.Lifetime;

/// <summary>
/// The contexts of plugins abandoned when a hook timed out, held weakly: one leaves the list once the collector
/// reclaims it (its stuck code ended), so the list says how many are still in memory now.
/// </summary>
internal sealed class AbandonedContexts
{
    private readonly List<(AbandonedPlugin Plugin, WeakReference Context)> _contexts = [];

    public void Add(AbandonedPlugin plugin, WeakReference context)
    {
        lock (_contexts)
        {
            _contexts.Add((plugin, context));
        }
    }

    public IReadOnlyList<AbandonedPlugin> Alive
    {
        get
        {
            lock (_contexts)
            {
                _contexts.RemoveAll(c => !c.Context.IsAlive);
                return [.. _contexts.Select(c => c.Plugin)];
            }
        }
    }
}
