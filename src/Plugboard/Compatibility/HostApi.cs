using System.Reflection;
using Plugboard.Metadata;

namespace Plugboard.Compatibility;

/// <summary>
/// What the host offers plugins: its API assemblies (with their metadata, for the surface check),
/// the contract type entry points implement, and every assembly shared into plugin contexts.
/// </summary>
internal sealed class HostApi
{
    private readonly Dictionary<string, AssemblyFacts> _apiByName;
    private readonly Dictionary<string, Assembly> _shared;

    private readonly HashSet<string> _privateFramework;

    public HostApi(Type contract, IEnumerable<Assembly> apiAssemblies, IEnumerable<Assembly> additionalShared, IEnumerable<string> privateFramework)
    {
        _privateFramework = new HashSet<string>(privateFramework, StringComparer.OrdinalIgnoreCase);
        Contract = contract;
        ContractAssembly = contract.Assembly.GetName().Name!;
        ContractFullName = contract.FullName!;
        _apiByName = new Dictionary<string, AssemblyFacts>(StringComparer.OrdinalIgnoreCase);
        foreach (Assembly api in apiAssemblies.Append(contract.Assembly).Distinct())
        {
            _apiByName[api.GetName().Name!] = AssemblyFactsReader.ReadLoaded(api);
        }
        _shared = new Dictionary<string, Assembly>(StringComparer.OrdinalIgnoreCase);
        var roots = apiAssemblies.Append(contract.Assembly).Append(typeof(IPluginLifecycle).Assembly).Concat(additionalShared);
        foreach (Assembly root in roots)
        {
            AddClosure(root);
        }
    }

    public Type Contract { get; }

    public string ContractAssembly { get; }

    public string ContractFullName { get; }

    /// <summary>The host API assemblies by simple name.</summary>
    public IReadOnlyDictionary<string, AssemblyFacts> ApiAssemblies => _apiByName;

    /// <summary>Names of every assembly resolved to the host's copy.</summary>
    public IEnumerable<string> SharedNames => _shared.Keys;

    public bool IsApi(string assemblyName) => _apiByName.ContainsKey(assemblyName);

    public bool IsShared(string assemblyName) => _shared.ContainsKey(assemblyName);

    public Assembly? SharedAssembly(string assemblyName) => _shared.GetValueOrDefault(assemblyName);

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

    private void AddClosure(Assembly assembly)
    {
        string name = assembly.GetName().Name!;
        if (FrameworkAssemblies.Contains(name) || !_shared.TryAdd(name, assembly))
        {
            return;
        }
        foreach (AssemblyName reference in assembly.GetReferencedAssemblies())
        {
            if (reference.Name is null || FrameworkAssemblies.Contains(reference.Name) || _shared.ContainsKey(reference.Name))
            {
                continue;
            }
            Assembly loaded;
            try
            {
                loaded = System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(assembly)!.LoadFromAssemblyName(reference);
            }
            catch (FileNotFoundException)
            {
                // A reference the host itself never resolves (optional dependency): nothing to share.
                continue;
            }
            AddClosure(loaded);
        }
    }
}
