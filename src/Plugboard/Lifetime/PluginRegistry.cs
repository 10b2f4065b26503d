using System.Reflection;
using Plugboard.Discovery;

namespace Plugboard.Lifetime;

/// <summary>
/// The plugins a host holds, by id (one plugin per id), and the questions about them that need the dependency
/// graph: unload order, dependents, the assemblies a plugin shares with the plugins it depends on.
/// </summary>
/// <typeparam name="TPlugin">The host's handle of a loaded plugin.</typeparam>
internal sealed class PluginRegistry<TPlugin> where TPlugin : class
{
    private readonly List<TPlugin> _plugins = [];
    // The first plugin held of each id (a plugin keeps its id: a reload to another id is refused): every load asks
    // whether its id is free, which a scan made cost O(plugins held) per load.
    private readonly Dictionary<string, TPlugin> _byId = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _gate = new();
    private readonly Func<TPlugin, PluginCatalogEntry> _entryOf;
    private readonly Func<TPlugin, Assembly?> _mainAssemblyOf;
    private readonly Func<TPlugin, PluginIsolation> _isolationOf;

    /// <param name="entryOf">A plugin's current catalog entry.</param>
    /// <param name="mainAssemblyOf">A plugin's loaded main assembly (null for a native plugin, or one out of process).</param>
    /// <param name="isolationOf">Where a plugin's current version runs.</param>
    public PluginRegistry(Func<TPlugin, PluginCatalogEntry> entryOf, Func<TPlugin, Assembly?> mainAssemblyOf, Func<TPlugin, PluginIsolation> isolationOf)
    {
        _entryOf = entryOf;
        _mainAssemblyOf = mainAssemblyOf;
        _isolationOf = isolationOf;
    }

    /// <summary>A copy of the plugins held now, in the order they were added.</summary>
    public IReadOnlyList<TPlugin> All
    {
        get
        {
            lock (_gate)
            {
                return [.. _plugins];
            }
        }
    }

    /// <summary>Refuses an id already held, before anything of the new plugin is loaded.</summary>
    /// <exception cref="PluginException"><see cref="PluginErrorCode.DuplicatePluginId"/>.</exception>
    public void EnsureFree(PluginCatalogEntry entry)
    {
        if (Find(entry.Id) is not null)
        {
            throw new PluginException(PluginErrorCode.DuplicatePluginId, entry.Id, entry.Directory,
                $"A plugin with the id '{entry.Id}' is already loaded in this host.", "Unload the loaded one first, or give this one another id.");
        }
    }

    /// <summary>Adds a loaded plugin and returns it.</summary>
    public TPlugin Add(TPlugin plugin)
    {
        lock (_gate)
        {
            _plugins.Add(plugin);
            _byId.TryAdd(_entryOf(plugin).Id, plugin);
        }
        return plugin;
    }

    public void Remove(TPlugin plugin)
    {
        lock (_gate)
        {
            _plugins.Remove(plugin);
            string id = _entryOf(plugin).Id;
            if (_byId.TryGetValue(id, out TPlugin? indexed) && indexed == plugin)
            {
                _byId.Remove(id);
                if (_plugins.FirstOrDefault(p => string.Equals(_entryOf(p).Id, id, StringComparison.OrdinalIgnoreCase)) is TPlugin next)
                {
                    _byId[id] = next;
                }
            }
        }
    }

    public TPlugin? Find(string id)
    {
        lock (_gate)
        {
            return _byId.GetValueOrDefault(id);
        }
    }

    /// <summary>The graph of the plugins held now, with <paramref name="candidates"/> about to load.</summary>
    public PluginGraph Graph(IEnumerable<PluginCatalogEntry>? candidates) => new(All.Select(_entryOf), candidates);

    /// <summary>Every plugin held, dependents before their dependencies: the order to unload all of them in.</summary>
    public List<TPlugin> DependentsFirst()
    {
        Dictionary<string, TPlugin> byId = ById();
        return Resolve(byId, new PluginGraph(byId.Values.Select(_entryOf)).DependentsFirst());
    }

    /// <summary>The plugins that depend on <paramref name="plugin"/>, transitively, dependents first.</summary>
    public List<TPlugin> DependentsOf(TPlugin plugin)
    {
        Dictionary<string, TPlugin> byId = ById();
        return Resolve(byId, new PluginGraph(byId.Values.Select(_entryOf)).DependentsOf(_entryOf(plugin).Id));
    }

    /// <summary>The main assemblies of the held plugins <paramref name="entry"/> depends on, transitively, for its context to share.</summary>
    public Dictionary<string, Assembly> AssembliesOfDependencies(PluginCatalogEntry entry)
    {
        var assemblies = new Dictionary<string, Assembly>(StringComparer.OrdinalIgnoreCase);
        if (entry.Dependencies.Count == 0)
        {
            return assemblies; // most plugins: no need to index the plugins held
        }
        Dictionary<string, TPlugin> byId = ById();
        // A plugin without a main assembly (native) shares nothing, and nothing through it.
        foreach (PluginCatalogEntry dependency in new PluginGraph(byId.Values.Select(_entryOf)).DependenciesOf(entry, through: e => _mainAssemblyOf(byId[e.Id]) is not null))
        {
            Assembly main = _mainAssemblyOf(byId[dependency.Id])!;
            assemblies.TryAdd(main.GetName().Name!, main);
        }
        return assemblies;
    }

    /// <summary>The held plugins <paramref name="entry"/> declares as dependencies, each with where it runs now (<see cref="DependencyIsolation"/>).</summary>
    public List<(string Id, PluginIsolation Isolation)> IsolationOfDependencies(PluginCatalogEntry entry)
    {
        if (entry.Dependencies.Count == 0)
        {
            return [];
        }
        Dictionary<string, TPlugin> byId = ById();
        return [.. entry.Dependencies.Where(d => byId.ContainsKey(d.Id)).Select(d => (d.Id, _isolationOf(byId[d.Id])))];
    }

    /// <summary>For the compatibility check: the assemblies held plugins provide to <paramref name="entry"/> through its declared dependencies.</summary>
    public Dictionary<string, Version> ProvidedTo(PluginCatalogEntry entry) =>
        AssembliesOfDependencies(entry).ToDictionary(a => a.Key, a => a.Value.GetName().Version ?? new Version(0, 0), StringComparer.OrdinalIgnoreCase);

    private Dictionary<string, TPlugin> ById()
    {
        var byId = new Dictionary<string, TPlugin>(StringComparer.OrdinalIgnoreCase);
        foreach (TPlugin plugin in All)
        {
            byId.TryAdd(_entryOf(plugin).Id, plugin);
        }
        return byId;
    }

    private static List<TPlugin> Resolve(Dictionary<string, TPlugin> byId, IEnumerable<PluginCatalogEntry> entries) => [.. entries.Select(e => byId[e.Id])];
}
