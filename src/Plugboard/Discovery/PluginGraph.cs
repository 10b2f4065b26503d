using NuGet.Versioning;
using Plugboard.Metadata;

namespace Plugboard.Discovery;

/// <summary>
/// The one dependency graph of plugins: its nodes are catalog entries (by id, case-insensitive; the first of an id
/// wins), its edges their declared <see cref="PluginCatalogEntry.Dependencies"/>. Every question about plugin
/// dependencies is answered here: the load order of new plugins (and why one cannot load), the unload order
/// (dependents first), the dependents a reload or unload must stop, and the dependencies whose assemblies a plugin shares.
/// </summary>
/// <remarks>
/// Nodes are either loaded (the plugins a host holds) or candidates (a catalog about to load); only
/// <see cref="LoadOrder"/> tells them apart: a candidate is ordered and checked, a loaded node only satisfies.
/// </remarks>
internal sealed class PluginGraph
{
    // The loaded side is indexed only when a question needs it: a host asks for the graph at every load, and a plugin
    // without dependencies never looks at the others (indexing them made each load cost O(plugins held)).
    private readonly List<PluginCatalogEntry> _loadedList;
    private Dictionary<string, PluginCatalogEntry>? _loaded;
    private readonly Dictionary<string, PluginCatalogEntry> _candidates;
    private readonly List<PluginCatalogEntry> _candidateList;
    // Every node in the order given (candidates, then loaded nodes of other ids): the order ties are broken in.
    private List<PluginCatalogEntry>? _nodes;

    /// <param name="loaded">The plugins already loaded.</param>
    /// <param name="candidates">Plugins to be loaded; a candidate hides a loaded node of the same id.</param>
    public PluginGraph(IEnumerable<PluginCatalogEntry> loaded, IEnumerable<PluginCatalogEntry>? candidates = null)
    {
        _loadedList = [.. loaded];
        _candidateList = candidates?.ToList() ?? [];
        _candidates = FirstById(_candidateList);
    }

    private Dictionary<string, PluginCatalogEntry> Loaded => _loaded ??= FirstById(_loadedList);

    private List<PluginCatalogEntry> Nodes => _nodes ??= [.. _candidates.Values, .. Loaded.Values.Where(e => !_candidates.ContainsKey(e.Id))];

    /// <summary>The node of <paramref name="id"/>: the candidate of that id, else the loaded one.</summary>
    public PluginCatalogEntry? Find(string id) => _candidates.GetValueOrDefault(id) ?? Loaded.GetValueOrDefault(id);

    /// <summary>
    /// Every plugin <paramref name="entry"/> depends on, transitively, each once (depth first, the entry itself excluded).
    /// A walk only passes through nodes <paramref name="through"/> accepts (default: all).
    /// </summary>
    public List<PluginCatalogEntry> DependenciesOf(PluginCatalogEntry entry, Func<PluginCatalogEntry, bool>? through = null)
    {
        var result = new List<PluginCatalogEntry>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { entry.Id };
        var pending = new Stack<PluginCatalogEntry>([entry]);
        while (pending.Count > 0)
        {
            foreach (PluginDependency dependency in pending.Pop().Dependencies)
            {
                if (Find(dependency.Id) is PluginCatalogEntry target && (through?.Invoke(target) ?? true) && seen.Add(target.Id))
                {
                    result.Add(target);
                    pending.Push(target);
                }
            }
        }
        return result;
    }

    /// <summary>
    /// Every plugin that depends on <paramref name="id"/>, transitively, ordered dependents first: the order in which
    /// they stop before <paramref name="id"/> unloads or reloads (they hold its types). The plugin itself is excluded.
    /// </summary>
    public List<PluginCatalogEntry> DependentsOf(string id)
    {
        var found = new List<PluginCatalogEntry>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { id };
        var frontier = new Queue<string>([id]);
        while (frontier.Count > 0)
        {
            string current = frontier.Dequeue();
            foreach (PluginCatalogEntry candidate in Nodes)
            {
                if (!seen.Contains(candidate.Id) && candidate.Dependencies.Any(d => string.Equals(d.Id, current, StringComparison.OrdinalIgnoreCase)))
                {
                    seen.Add(candidate.Id);
                    found.Add(candidate);
                    frontier.Enqueue(candidate.Id);
                }
            }
        }
        return DependentsFirst(found);
    }

    /// <summary>Every node, each before the plugins it depends on: the order to unload all of them in.</summary>
    public List<PluginCatalogEntry> DependentsFirst() => DependentsFirst(Nodes);

    /// <summary>
    /// The order to load the candidates in, each after the plugins it depends on, and every candidate that cannot load
    /// because of its dependencies: missing, of a version outside the declared range, incompatible, or in a cycle,
    /// with the whole chain named. Incompatible candidates are failures with their own problems.
    /// </summary>
    public LoadPlan LoadOrder() => new LoadOrderWalk(this).Run();

    /// <summary>A DependencyFailed error when a dependency of <paramref name="entry"/> failed while loading.</summary>
    public static PluginException? FailedDependency(PluginCatalogEntry entry, IReadOnlySet<string> failedIds) =>
        entry.Dependencies.FirstOrDefault(d => failedIds.Contains(d.Id)) is PluginDependency failed
            ? new PluginException(PluginErrorCode.DependencyFailed, entry.Id, entry.Directory,
                $"It depends on '{failed.Id}', which failed to load (chain: {entry.Id} → {failed.Id}).",
                $"Fix '{failed.Id}' first; its own error says how.")
            : null;

    /// <summary><paramref name="subset"/> ordered so that every plugin comes before the ones (of the subset) it depends on.</summary>
    private static List<PluginCatalogEntry> DependentsFirst(List<PluginCatalogEntry> subset)
    {
        Dictionary<string, PluginCatalogEntry> byId = FirstById(subset);
        var visited = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var dependenciesFirst = new List<PluginCatalogEntry>();
        void Visit(PluginCatalogEntry entry)
        {
            if (!visited.Add(entry.Id))
            {
                return;
            }
            foreach (PluginDependency dependency in entry.Dependencies)
            {
                if (byId.TryGetValue(dependency.Id, out PluginCatalogEntry? target))
                {
                    Visit(target);
                }
            }
            dependenciesFirst.Add(entry);
        }
        foreach (PluginCatalogEntry entry in subset)
        {
            Visit(entry);
        }
        dependenciesFirst.Reverse();
        return dependenciesFirst;
    }

    private static Dictionary<string, PluginCatalogEntry> FirstById(IEnumerable<PluginCatalogEntry> entries) =>
        entries.GroupBy(e => e.Id, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);

    /// <summary>The depth-first walk behind <see cref="LoadOrder"/>: marks each candidate loadable or failed, and finds cycles.</summary>
    private sealed class LoadOrderWalk(PluginGraph graph)
    {
        private enum Mark { Visiting, Loadable, Failed }

        private readonly Dictionary<PluginCatalogEntry, Mark> _marks = [];
        private readonly Dictionary<PluginCatalogEntry, PluginException> _errors = [];
        private readonly List<PluginCatalogEntry> _ordered = [];

        public LoadPlan Run()
        {
            var failures = new List<PluginFailure>();
            foreach (PluginCatalogEntry entry in graph._candidateList)
            {
                if (!entry.IsCompatible)
                {
                    failures.Add(new PluginFailure(entry, entry.Problems));
                }
                else
                {
                    Visit(entry, []);
                }
            }
            foreach ((PluginCatalogEntry entry, PluginException error) in _errors)
            {
                failures.Add(new PluginFailure(entry, [error]));
            }
            return new LoadPlan(_ordered, failures);
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
            // Named in errors only: most entries have none.
            string here = entry.Dependencies.Count == 0 ? entry.Id : string.Join(" → ", path.Select(p => p.Id));
            PluginException? error = null;
            foreach (PluginDependency dependency in entry.Dependencies)
            {
                PluginCatalogEntry? provider = graph.Find(dependency.Id);
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
                if (!graph._candidates.ContainsKey(provider.Id))
                {
                    // Loaded already: it satisfies, it is not loaded again.
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
            _ordered.Add(entry);
            return true;
        }

        private void Fail(PluginCatalogEntry entry, PluginException error)
        {
            _marks[entry] = Mark.Failed;
            _errors.TryAdd(entry, error);
        }
    }
}

/// <summary>What <see cref="PluginGraph.LoadOrder"/> decided.</summary>
/// <param name="Ordered">Compatible candidates whose dependencies are satisfied, each after its dependencies.</param>
/// <param name="Failures">Incompatible candidates and candidates whose dependencies cannot be satisfied.</param>
internal sealed record LoadPlan(IReadOnlyList<PluginCatalogEntry> Ordered, IReadOnlyList<PluginFailure> Failures);
