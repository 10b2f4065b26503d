using NuGet.Versioning;
using Plugboard.Metadata;

namespace Plugboard.Loading;

/// <summary>
/// Orders plugins so that every plugin loads after the plugins it depends on, and explains every plugin that cannot
/// load because of its dependencies: missing, of a version outside the declared range, failed, or in a cycle, with
/// the whole chain named.
/// </summary>
internal sealed class DependencyOrder
{
    private enum Mark { Visiting, Loadable, Failed }

    private readonly Dictionary<string, PluginCatalogEntry> _catalog;
    private readonly Dictionary<string, PluginCatalogEntry> _loaded;
    private readonly Dictionary<PluginCatalogEntry, Mark> _marks = [];
    private readonly Dictionary<PluginCatalogEntry, PluginException> _errors = [];

    public DependencyOrder(IEnumerable<PluginCatalogEntry> entries, IEnumerable<PluginCatalogEntry> alreadyLoaded)
    {
        _loaded = alreadyLoaded.GroupBy(e => e.Id, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
        List<PluginCatalogEntry> list = entries.ToList();
        _catalog = list.GroupBy(e => e.Id, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
        foreach (PluginCatalogEntry entry in list)
        {
            if (!entry.IsCompatible)
            {
                Failures.Add(new PluginFailure(entry, entry.Problems));
            }
            else
            {
                Visit(entry, []);
            }
        }
        foreach ((PluginCatalogEntry entry, PluginException error) in _errors)
        {
            Failures.Add(new PluginFailure(entry, [error]));
        }
    }

    /// <summary>Compatible plugins whose dependencies are satisfied, each after its dependencies.</summary>
    public List<PluginCatalogEntry> Ordered { get; } = [];

    /// <summary>Incompatible plugins and plugins whose dependencies cannot be satisfied.</summary>
    public List<PluginFailure> Failures { get; } = [];

    /// <summary>A DependencyFailed error when a dependency of <paramref name="entry"/> failed while loading.</summary>
    public PluginException? FailedDependency(PluginCatalogEntry entry, IReadOnlySet<string> failedIds) =>
        entry.Dependencies.FirstOrDefault(d => failedIds.Contains(d.Id)) is PluginDependency failed
            ? new PluginException(PluginErrorCode.DependencyFailed, entry.Id, entry.Directory,
                $"It depends on '{failed.Id}', which failed to load (chain: {entry.Id} → {failed.Id}).",
                $"Fix '{failed.Id}' first; its own error says how.")
            : null;

    /// <summary>Loaded plugins ordered so that every plugin comes before the plugins it depends on (the unload order).</summary>
    public static IEnumerable<LoadedPlugin<TContract>> DependentsFirst<TContract>(IEnumerable<LoadedPlugin<TContract>> plugins) where TContract : class
    {
        List<LoadedPlugin<TContract>> list = plugins.ToList();
        var byId = list.ToDictionary(p => p.Id, StringComparer.OrdinalIgnoreCase);
        var visited = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var dependenciesFirst = new List<LoadedPlugin<TContract>>();
        void Visit(LoadedPlugin<TContract> plugin)
        {
            if (!visited.Add(plugin.Id))
            {
                return;
            }
            foreach (PluginDependency dependency in plugin.Entry.Dependencies)
            {
                if (byId.TryGetValue(dependency.Id, out LoadedPlugin<TContract>? target))
                {
                    Visit(target);
                }
            }
            dependenciesFirst.Add(plugin);
        }
        foreach (LoadedPlugin<TContract> plugin in list)
        {
            Visit(plugin);
        }
        dependenciesFirst.Reverse();
        return dependenciesFirst;
    }

    private bool Visit(PluginCatalogEntry entry, List<PluginCatalogEntry> path)
    {
        if (_marks.TryGetValue(entry, out Mark mark))
        {
            if (mark == Mark.Visiting)
            {
                List<PluginCatalogEntry> cycle = path.SkipWhile(p => p != entry).ToList();
                string chain = string.Join(" → ", cycle.Append(entry).Select(p => p.Id));
                foreach (PluginCatalogEntry member in cycle)
                {
                    Fail(member, new PluginException(PluginErrorCode.DependencyCycle, member.Id, member.Directory,
                        $"Its dependencies form a cycle: {chain}. No order can load them.",
                        "Remove one of the dependencies of the cycle; move what both sides need into a plugin both depend on."));
                }
                return false;
            }
            return mark == Mark.Loadable;
        }
        _marks[entry] = Mark.Visiting;
        path.Add(entry);
        string here = string.Join(" → ", path.Select(p => p.Id));
        PluginException? error = null;
        foreach (PluginDependency dependency in entry.Dependencies)
        {
            PluginCatalogEntry? provider = _catalog.GetValueOrDefault(dependency.Id) ?? _loaded.GetValueOrDefault(dependency.Id);
            if (provider is null)
            {
                error ??= new PluginException(PluginErrorCode.DependencyMissing, entry.Id, entry.Directory,
                    $"It depends on '{dependency.Id}' {dependency.Versions.PrettyPrint()}, which is neither in the catalog nor loaded (chain: {here} → {dependency.Id}).",
                    $"Install the '{dependency.Id}' plugin beside it, or remove the dependency from its plugin.json.");
                continue;
            }
            if (provider.Version is not NuGetVersion version || !dependency.Versions.Satisfies(version))
            {
                error ??= new PluginException(PluginErrorCode.DependencyVersionMismatch, entry.Id, entry.Directory,
                    $"It depends on '{dependency.Id}' {dependency.Versions.PrettyPrint()}, but '{dependency.Id}' is version {provider.Version?.ToNormalizedString() ?? "unknown"} (chain: {here} → {dependency.Id}).",
                    $"Install a version of '{dependency.Id}' in the range, or widen the range in its plugin.json.");
                continue;
            }
            if (_loaded.ContainsKey(provider.Id) && !_catalog.ContainsKey(provider.Id))
            {
                continue;
            }
            if (!provider.IsCompatible)
            {
                error ??= new PluginException(PluginErrorCode.DependencyFailed, entry.Id, entry.Directory,
                    $"It depends on '{dependency.Id}', which cannot load: {provider.Problems[0].CodeText} {provider.Problems[0].Cause} (chain: {here} → {dependency.Id}).",
                    $"Fix '{dependency.Id}' first: {provider.Problems[0].Fix}");
                continue;
            }
            if (!Visit(provider, path) && _marks[entry] == Mark.Visiting)
            {
                PluginException cause = _errors.GetValueOrDefault(provider)!;
                error ??= cause.Code == PluginErrorCode.DependencyCycle && _errors.ContainsKey(entry)
                    ? _errors[entry]
                    : new PluginException(PluginErrorCode.DependencyFailed, entry.Id, entry.Directory,
                        $"It depends on '{dependency.Id}', which cannot load: {cause.CodeText} {cause.Cause}",
                        $"Fix '{dependency.Id}' first: {cause.Fix}");
            }
        }
        path.RemoveAt(path.Count - 1);
        if (_errors.ContainsKey(entry))
        {
            return false;
        }
        if (error is not null)
        {
            Fail(entry, error);
            return false;
        }
        _marks[entry] = Mark.Loadable;
        Ordered.Add(entry);
        return true;
    }

    private void Fail(PluginCatalogEntry entry, PluginException error)
    {
        _marks[entry] = Mark.Failed;
        _errors.TryAdd(entry, error);
    }
}
