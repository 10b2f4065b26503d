using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Primitives;

namespace Plugboard.AspNetCore.Routing;

/// <summary>
/// The endpoints of every web plugin, changing while the server runs: each change replaces one plugin's set in one
/// step and signals routing through the change token, which rebuilds its matcher from <see cref="Endpoints"/>.
/// Holds nothing of a plugin version once its set is removed or replaced, so the version can be collected.
/// </summary>
internal sealed class PluginEndpointDataSource : EndpointDataSource, IEndpointConventionBuilder
{
    private readonly Lock _gate = new();
    private readonly List<Action<EndpointBuilder>> _conventions = [];
    private readonly List<Action<EndpointBuilder>> _finallyConventions = [];
    private Dictionary<string, PluginEndpoints> _byPlugin = new(StringComparer.OrdinalIgnoreCase);
    private IReadOnlyList<Endpoint> _endpoints = [];
    private CancellationTokenSource _changed = new();

    public override IReadOnlyList<Endpoint> Endpoints => Volatile.Read(ref _endpoints);

    public override IChangeToken GetChangeToken() => new CancellationChangeToken(Volatile.Read(ref _changed).Token);

    /// <summary>The host's conventions (from <c>MapPlugins().RequireAuthorization(...)</c> and the like), applied to every plugin endpoint built after they were added.</summary>
    public IReadOnlyList<Action<EndpointBuilder>> Conventions
    {
        get
        {
            lock (_gate)
            {
                return [.. _conventions];
            }
        }
    }

    public IReadOnlyList<Action<EndpointBuilder>> FinallyConventions
    {
        get
        {
            lock (_gate)
            {
                return [.. _finallyConventions];
            }
        }
    }

    public void Add(Action<EndpointBuilder> convention)
    {
        lock (_gate)
        {
            _conventions.Add(convention);
        }
    }

    public void Finally(Action<EndpointBuilder> finallyConvention)
    {
        lock (_gate)
        {
            _finallyConventions.Add(finallyConvention);
        }
    }

    /// <summary>The plugin's published set, or null.</summary>
    public PluginEndpoints? Of(string pluginId)
    {
        lock (_gate)
        {
            return _byPlugin.GetValueOrDefault(pluginId);
        }
    }

    /// <summary>Publishes a plugin's set, replacing the one it had.</summary>
    public void Set(PluginEndpoints endpoints) => Change(map =>
    {
        map[endpoints.PluginId] = endpoints;
        return true;
    });

    /// <summary>Removes a plugin's set if it belongs to one of <paramref name="owners"/> (a version being released); true when it did.</summary>
    public bool Remove(string pluginId, IReadOnlyCollection<object> owners)
    {
        return Change(map => map.TryGetValue(pluginId, out PluginEndpoints? current)
            && owners.Any(o => ReferenceEquals(o, current.Owner)) && map.Remove(pluginId));
    }

    private bool Change(Func<Dictionary<string, PluginEndpoints>, bool> change)
    {
        CancellationTokenSource previous;
        lock (_gate)
        {
            var next = new Dictionary<string, PluginEndpoints>(_byPlugin, StringComparer.OrdinalIgnoreCase);
            if (!change(next))
            {
                return false;
            }
            _byPlugin = next;
            Volatile.Write(ref _endpoints, [.. next.Values.SelectMany(p => p.Endpoints)]);
            previous = _changed;
            _changed = new CancellationTokenSource();
        }
        // Outside the lock: routing rebuilds its matcher in the callback and reads Endpoints.
        previous.Cancel();
        previous.Dispose();
        return true;
    }
}
