using System.Reflection;
using System.Runtime.Loader;
using Plugboard.Metadata;

namespace Plugboard.Compatibility;

/// <summary>
/// What the host offers plugins: its API assemblies (with their metadata, for the surface check), the contract
/// entry points implement, and every assembly shared into plugin contexts. Built either from the running host's
/// loaded assemblies, or from files by tools that check plugins without running the host.
/// </summary>
internal sealed class HostApi
{
    private readonly Dictionary<string, AssemblyFacts> _apiByName = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Version> _sharedVersions = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Assembly> _sharedAssemblies = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Version> _closureVersions = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _roots = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, HashSet<string>> _exposedTypes = new(StringComparer.OrdinalIgnoreCase);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, System.Collections.Immutable.ImmutableHashSet<string>> _keptPrivate = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Assembly> _closureAssemblies = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _privateFramework;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, AssemblyFacts?> _sharedFacts = new(StringComparer.OrdinalIgnoreCase);

    private HostApi(string? contractAssembly, string? contractFullName, IEnumerable<string> privateFramework)
    {
        ContractAssembly = contractAssembly;
        ContractFullName = contractFullName;
        _privateFramework = new HashSet<string>(privateFramework, StringComparer.OrdinalIgnoreCase);
        Surface = new ApiSurface(FactsOf);
    }

    /// <summary>The host API's surface, for binding plugin references as the runtime will.</summary>
    public ApiSurface Surface { get; }

    /// <summary>The shared frameworks the host runs; plugins needing another one are refused with PB0207.</summary>
    public IReadOnlySet<string> Frameworks { get; set; } = SharedFrameworks.OfThisProcess;

    /// <summary>Which host API version rule applies to plugins built against a newer minor of the API.</summary>
    public ApiVersionRule VersionRule { get; set; } = ApiVersionRule.SurfaceProven;

    /// <summary>Whether references into the assembly are judged by the surface check: it is one of the host's API assemblies.</summary>
    public bool IsApi(string assemblyName) => _apiByName.ContainsKey(assemblyName);

    /// <summary>
    /// The metadata of an API or shared assembly (where forwarded API types land), read once; null for the framework
    /// and for assemblies the host does not have.
    /// </summary>
    public AssemblyFacts? FactsOf(string assemblyName)
    {
        if (_apiByName.TryGetValue(assemblyName, out AssemblyFacts? api))
        {
            return api;
        }
        return _sharedFacts.GetOrAdd(assemblyName, name => _sharedAssemblies.TryGetValue(name, out Assembly? loaded) ? AssemblyFactsReader.ReadLoaded(loaded) : null);
    }

    /// <summary>
    /// True when a <see cref="PluginEntryFactory"/> creates entries: any public constructor will do, instead of one
    /// taking nothing or an <see cref="IPluginContext"/>.
    /// </summary>
    public bool AnyPublicConstructor { get; set; }

    /// <summary>From the running host: the API and shared assemblies are the ones it has loaded.</summary>
    public static HostApi FromLoaded(Type contract, IEnumerable<Assembly> apiAssemblies, IEnumerable<Assembly> additionalShared, IEnumerable<string> privateFramework)
    {
        var host = new HostApi(contract.Assembly.GetName().Name!, contract.FullName!, privateFramework);
        List<Assembly> apis = apiAssemblies.Append(contract.Assembly).Distinct().ToList();
        foreach (Assembly api in apis)
        {
            host._apiByName[api.GetName().Name!] = AssemblyFactsReader.ReadLoaded(api);
        }
        List<Assembly> roots = [.. apis.Append(typeof(IPluginLifecycle).Assembly).Concat(additionalShared)];
        foreach (Assembly root in roots)
        {
            host.AddLoadedClosure(root);
        }
        host.ShareSurfaceClosure(roots.Select(r => r.GetName().Name!));
        return host;
    }

    /// <summary>From files, for tools: nothing is loaded; the API's dependencies are looked up beside it.</summary>
    public static HostApi FromFiles(IEnumerable<string> apiAssemblyPaths, string? contractFullName, IEnumerable<string> sharedAssemblyPaths, IEnumerable<string>? privateFramework = null)
    {
        List<AssemblyFacts> apis = apiAssemblyPaths.Select(AssemblyFactsReader.ReadFile).ToList();
        string? contractAssembly = contractFullName is null ? null
            : apis.FirstOrDefault(a => a.Types.ContainsKey(contractFullName))?.Name.Name
              ?? throw new ArgumentException($"No host API assembly defines the contract type '{contractFullName}'.", nameof(contractFullName));
        var host = new HostApi(contractAssembly, contractFullName, privateFramework ?? []);
        foreach (AssemblyFacts api in apis)
        {
            host._apiByName[api.Name.Name!] = api;
        }
        List<AssemblyFacts> roots = [.. apis.Concat(sharedAssemblyPaths.Select(AssemblyFactsReader.ReadFile))];
        foreach (AssemblyFacts root in roots)
        {
            host.AddFileClosure(root);
        }
        host.ShareSurfaceClosure(roots.Select(r => r.Name.Name!));
        string abstractions = typeof(IPluginLifecycle).Assembly.GetName().Name!;
        host._sharedVersions.TryAdd(abstractions, typeof(IPluginLifecycle).Assembly.GetName().Version!);
        host._roots.Add(abstractions);
        return host;
    }

    /// <summary>The contract's assembly, or null when any interface of the host API counts as a contract.</summary>
    public string? ContractAssembly { get; }

    /// <summary>The contract's full name, or null when any interface of the host API counts as a contract.</summary>
    public string? ContractFullName { get; }

    /// <summary>The contract as error messages name it.</summary>
    public string ContractDisplay => ContractFullName ?? "an interface of the host API";

    /// <summary>The host API assemblies by simple name.</summary>
    public IReadOnlyDictionary<string, AssemblyFacts> ApiAssemblies => _apiByName;

    /// <summary>Names of every assembly resolved to the host's copy.</summary>
    public IEnumerable<string> SharedNames => _sharedVersions.Keys;

    public bool IsShared(string assemblyName) => _sharedVersions.ContainsKey(assemblyName);

    public Version SharedVersion(string assemblyName) => _sharedVersions[assemblyName];

    /// <summary>
    /// Whether the host has the assembly in its dependency closure without sharing it (its API uses it only inside its
    /// code): a plugin's own copy wins, and a plugin without one falls back to the host's, as the runtime does.
    /// </summary>
    public bool IsInHostClosure(string assemblyName) => _closureVersions.ContainsKey(assemblyName);

    /// <summary>The version of an assembly of the host's closure (<see cref="IsInHostClosure"/>).</summary>
    public Version ClosureVersion(string assemblyName) => _closureVersions[assemblyName];

    /// <summary>The host's loaded copies of every shared assembly (none for hosts built from files).</summary>
    public IEnumerable<Assembly> LoadedSharedAssemblies() => SharedNames.Select(SharedAssembly).OfType<Assembly>();

    /// <summary>The host's loaded copy of a shared assembly (null for hosts built from files, or names not shared).</summary>
    public Assembly? SharedAssembly(string assemblyName) => _sharedAssemblies.GetValueOrDefault(assemblyName);

    /// <summary>Whether a type a plugin names is the contract (or, with no contract given, an interface of the host API).</summary>
    public bool IsContract(TypeName name)
    {
        if (ContractFullName is null)
        {
            return name.Assembly is not null && _apiByName.TryGetValue(name.Assembly, out AssemblyFacts? api)
                && api.Types.TryGetValue(name.FullName, out TypeFacts? type) && type.IsInterface;
        }
        return name.FullName == ContractFullName && string.Equals(name.Assembly, ContractAssembly, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The framework file to load privately into each plugin context for <paramref name="assemblyName"/>, or null to share the host's.</summary>
    public string? PrivateFrameworkAssemblyPath(string assemblyName)
    {
        if (!_privateFramework.Contains(assemblyName) || IsShared(assemblyName))
        {
            return null;
        }
        string path = Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location) ?? string.Empty, assemblyName + ".dll");
        return File.Exists(path) ? path : null;
    }

    /// <summary>
    /// Shares the roots and, transitively, every assembly of the closure their public surface exposes: one rule for
    /// the check (which references count as shared) and for loading (<see cref="SharedAssembly"/>).
    /// </summary>
    private void ShareSurfaceClosure(IEnumerable<string> roots)
    {
        var pending = new Queue<string>(roots);
        foreach (string root in pending)
        {
            _roots.Add(root);
        }
        while (pending.Count > 0)
        {
            string name = pending.Dequeue();
            if (!_closureVersions.TryGetValue(name, out Version? version) || !_sharedVersions.TryAdd(name, version))
            {
                continue;
            }
            Dictionary<string, HashSet<string>> exposed;
            if (_closureAssemblies.TryGetValue(name, out Assembly? loaded))
            {
                _sharedAssemblies[name] = loaded;
                exposed = AssemblyFactsReader.ReadSurfaceTypes(loaded);
            }
            else if (_sharedFacts.TryGetValue(name, out AssemblyFacts? facts) && facts is not null)
            {
                exposed = AssemblyFactsReader.ReadSurfaceTypes(facts.Path);
            }
            else
            {
                continue;
            }
            foreach ((string reference, HashSet<string> types) in exposed)
            {
                if (_closureVersions.ContainsKey(reference) && !FrameworkAssemblies.Contains(reference))
                {
                    _exposedTypes.TryAdd(reference, new HashSet<string>(StringComparer.Ordinal));
                    _exposedTypes[reference].UnionWith(types);
                    pending.Enqueue(reference);
                }
            }
        }
    }

    /// <summary>Whether the assembly is shared by itself (an API assembly, Plugboard.Abstractions, one the host named), not only for what another one exposes.</summary>
    public bool IsSharedRoot(string assemblyName) => _roots.Contains(assemblyName);

    /// <summary>The types of a shared, non-root assembly that the public surface of the shared assemblies exposes.</summary>
    public IReadOnlySet<string> ExposedTypes(string assemblyName) => _exposedTypes.TryGetValue(assemblyName, out HashSet<string>? types) ? types : new HashSet<string>();

    /// <summary>
    /// Records that a plugin (by main assembly path) keeps its own copy of a shared assembly that it needs no identity
    /// for: the check proved no type of it crosses the boundary in this plugin's use.
    /// </summary>
    public void KeepPrivate(string mainAssemblyPath, string assemblyName) =>
        _keptPrivate.AddOrUpdate(mainAssemblyPath, _ => [assemblyName], (_, set) => set.Add(assemblyName));

    /// <summary>Clears what a previous check of the plugin recorded (a plugin is re-checked before every reload).</summary>
    public void ResetKeptPrivate(string mainAssemblyPath) => _keptPrivate.TryRemove(mainAssemblyPath, out _);

    /// <summary>Whether a plugin (by main assembly path) keeps its own copy of a shared assembly, as its check recorded (<see cref="KeepPrivate"/>).</summary>
    public bool IsKeptPrivate(string mainAssemblyPath, string assemblyName) =>
        _keptPrivate.TryGetValue(mainAssemblyPath, out System.Collections.Immutable.ImmutableHashSet<string>? kept) && kept.Contains(assemblyName);

    private void AddLoadedClosure(Assembly assembly)
    {
        AssemblyName name = assembly.GetName();
        if (FrameworkAssemblies.Contains(name.Name!) || !_closureVersions.TryAdd(name.Name!, name.Version ?? new Version(0, 0)))
        {
            return;
        }
        _closureAssemblies[name.Name!] = assembly;
        foreach (AssemblyName reference in assembly.GetReferencedAssemblies())
        {
            if (reference.Name is null || FrameworkAssemblies.Contains(reference.Name) || IsInHostClosure(reference.Name))
            {
                continue;
            }
            Assembly loaded;
            try
            {
                loaded = AssemblyLoadContext.GetLoadContext(assembly)!.LoadFromAssemblyName(reference);
            }
            catch (FileNotFoundException)
            {
                // A reference the host itself never resolves (optional dependency): nothing to share.
                continue;
            }
            AddLoadedClosure(loaded);
        }
    }

    private void AddFileClosure(AssemblyFacts assembly)
    {
        string name = assembly.Name.Name!;
        if (FrameworkAssemblies.Contains(name) || !_closureVersions.TryAdd(name, assembly.Name.Version ?? new Version(0, 0)))
        {
            return;
        }
        _sharedFacts[name] = assembly;
        string directory = Path.GetDirectoryName(assembly.Path) ?? ".";
        foreach (AssemblyName reference in assembly.References)
        {
            string candidate = Path.Combine(directory, reference.Name + ".dll");
            if (reference.Name is not null && !FrameworkAssemblies.Contains(reference.Name) && !IsInHostClosure(reference.Name) && File.Exists(candidate))
            {
                AddFileClosure(AssemblyFactsReader.ReadFile(candidate));
            }
        }
    }
}
