using System.Collections.Concurrent;

namespace Plugboard.AspNetCore.Internal;

/// <summary>
/// Wraps the generic host's entry factory (dependency injection, a container per plugin version) to learn which
/// instances each version has and when the version is released (<see cref="PluginEntryFactory.ReleaseAsync"/> is
/// called after the stop hooks and before the context unloads): the web integration drops the version's endpoints
/// there, so nothing of ASP.NET Core still holds it when the unload counts collections.
/// </summary>
internal sealed class ReleaseNotifyingEntryFactory(PluginEntryFactory inner, VersionReleases releases) : PluginEntryFactory
{
    private readonly ConcurrentDictionary<IPluginContext, List<object>> _instances = new(ReferenceEqualityComparer.Instance);
    private readonly ConcurrentDictionary<object, IPluginContext> _contexts = new(ReferenceEqualityComparer.Instance);

    /// <summary>The wrapped factory (the generic host's), for the plugin's own services.</summary>
    public PluginEntryFactory Inner => inner;

    public override object Create(Type entryType, IPluginContext context)
    {
        object instance = inner.Create(entryType, context);
        List<object> created = _instances.GetOrAdd(context, _ => []);
        lock (created)
        {
            created.Add(instance);
        }
        _contexts[instance] = context;
        return instance;
    }

    /// <summary>The context of the version an entry instance belongs to, until that version is released.</summary>
    public IPluginContext? ContextOf(object instance) => _contexts.GetValueOrDefault(instance);

    public override async ValueTask ReleaseAsync(IPluginContext context)
    {
        if (_instances.TryRemove(context, out List<object>? created))
        {
            foreach (object instance in created)
            {
                _contexts.TryRemove(instance, out _);
            }
            releases.Raise(context.PluginId, created);
        }
        await inner.ReleaseAsync(context).ConfigureAwait(false);
    }
}
