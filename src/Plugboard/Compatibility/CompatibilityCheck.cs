using System.Reflection;
using Plugboard.Metadata;

namespace Plugboard.Compatibility;

/// <summary>
/// Decides, from metadata alone, whether a managed plugin can run on this host: host API version,
/// every host API type and member it uses, its private dependencies, its target runtime and its entry types.
/// Runs before any plugin code does.
/// </summary>
internal sealed class CompatibilityCheck
{
    private const int MaxListedMembers = 25;

    private readonly HostApi _host;
    private readonly string _pluginId;
    private readonly string _directory;
    private readonly AssemblyFacts _main;
    private readonly List<PluginException> _problems = [];
    private readonly List<string> _warnings = [];
    private readonly List<AssemblyReference> _references = [];
    private readonly Dictionary<string, List<string>> _folderAssemblies;
    private readonly Dictionary<string, AssemblyFacts?> _privateFacts = new(StringComparer.OrdinalIgnoreCase);

    private readonly IReadOnlyDictionary<string, Version> _fromPlugins;

    public CompatibilityCheck(HostApi host, string pluginId, string directory, AssemblyFacts main, IReadOnlyDictionary<string, Version>? fromPlugins = null)
    {
        _fromPlugins = fromPlugins ?? new Dictionary<string, Version>();
        _host = host;
        _pluginId = pluginId;
        _directory = directory;
        _main = main;
        _folderAssemblies = IndexFolder(directory);
    }

    public IReadOnlyList<PluginException> Problems => _problems;

    public IReadOnlyList<string> Warnings => _warnings;

    /// <summary>The main assembly's direct references, classified.</summary>
    public IReadOnlyList<AssemblyReference> References => _references;

    public IReadOnlyList<string> EntryTypes { get; private set; } = [];

    public CompatibilityCheck Run(IReadOnlyList<string> manifestEntryTypes)
    {
        CheckRuntime();
        CheckShippedSharedCopies();
        var missingMembers = new List<string>();
        CheckReferences(_main, missingMembers, depth: 0);
        CheckInterfaceImplementations(missingMembers);
        if (missingMembers.Count > 0)
        {
            string apis = string.Join(", ", _host.ApiAssemblies.Values.Select(a => $"{a.Name.Name} {a.Name.Version}"));
            string list = string.Join("; ", missingMembers.Take(MaxListedMembers)) + (missingMembers.Count > MaxListedMembers ? $"; and {missingMembers.Count - MaxListedMembers} more" : string.Empty);
            _problems.Add(Problem(PluginErrorCode.HostApiMembersMissing,
                $"It uses {missingMembers.Count} host API member(s) that this host's API ({apis}) does not have: {list}.",
                "Rebuild the plugin against the host API version this host ships, or update the host to an API version that has these members."));
        }
        EntryTypes = ResolveEntryTypes(manifestEntryTypes);
        return this;
    }

    private void CheckRuntime()
    {
        const string prefix = ".NETCoreApp,Version=v";
        if (_main.TargetFramework is string tfm && tfm.StartsWith(prefix, StringComparison.Ordinal)
            && Version.TryParse(tfm[prefix.Length..], out Version? target))
        {
            var runtime = new Version(Environment.Version.Major, Environment.Version.Minor);
            if (target > runtime)
            {
                _problems.Add(Problem(PluginErrorCode.RuntimeTooNew,
                    $"It targets .NET {target}, but the host runs on .NET {runtime}.",
                    $"Build the plugin for net{runtime.Major}.{runtime.Minor} (or lower), or run the host on .NET {target.Major}.{target.Minor}."));
            }
        }
    }

    private void CheckShippedSharedCopies()
    {
        foreach (string shared in _host.SharedNames)
        {
            if (_folderAssemblies.ContainsKey(shared))
            {
                _warnings.Add($"PB0206 The plugin folder ships its own copy of '{shared}'; Plugboard ignores it and uses the host's, so types keep one identity. Reference it with Private=\"false\" and ExcludeAssets=\"runtime\" to stop copying it.");
            }
        }
    }

    private void CheckReferences(AssemblyFacts assembly, List<string> missingMembers, int depth)
    {
        CheckSurface(assembly, missingMembers);
        foreach (AssemblyName reference in assembly.References)
        {
            string name = reference.Name!;
            Version version = reference.Version ?? new Version(0, 0, 0, 0);
            AssemblyResolution resolution;
            if (_host.ApiAssemblies.TryGetValue(name, out AssemblyFacts? api))
            {
                resolution = AssemblyResolution.HostApi;
                CheckApiVersion(assembly, name, version, api.Name.Version ?? new Version(0, 0));
            }
            else if (_fromPlugins.TryGetValue(name, out Version? provided))
            {
                resolution = AssemblyResolution.Plugin;
                CheckSharedVersion(assembly, name, version, provided);
            }
            else if (_host.IsShared(name))
            {
                resolution = AssemblyResolution.Shared;
                Version hostVersion = _host.SharedVersion(name);
                CheckSharedVersion(assembly, name, version, hostVersion);
            }
            else if (FrameworkAssemblies.Contains(name))
            {
                resolution = AssemblyResolution.Framework;
            }
            else
            {
                resolution = AssemblyResolution.Private;
                CheckPrivate(assembly, name, version, missingMembers, depth);
            }
            if (depth == 0)
            {
                _references.Add(new AssemblyReference(name, version, resolution));
            }
        }
    }

    private void CheckApiVersion(AssemblyFacts user, string name, Version referenced, Version host)
    {
        if (referenced.Major != host.Major || referenced.Minor > host.Minor)
        {
            string rule = referenced.Major != host.Major
                ? $"the major versions differ ({referenced.Major} vs {host.Major}), and a major version may remove or change members"
                : $"the plugin needs minor version {referenced.Minor} but the host's is {host.Minor}, so it may use members this host lacks";
            _problems.Add(Problem(PluginErrorCode.HostApiVersionIncompatible,
                $"{Describe(user)} was built against host API {name} {referenced}, but this host provides {name} {host}: {rule}.",
                $"Build the plugin against {name} {host.Major}.{host.Minor} or lower (same major), or run it on a host whose {name} is {referenced.Major}.{referenced.Minor} or newer within major {referenced.Major}."));
        }
    }

    private void CheckSharedVersion(AssemblyFacts user, string name, Version referenced, Version host)
    {
        if (referenced > host)
        {
            _problems.Add(Problem(PluginErrorCode.HostApiVersionIncompatible,
                $"{Describe(user)} references {name} {referenced}, but the host shares {name} {host} with all plugins and a lower version cannot stand in for a higher one.",
                $"Build the plugin against {name} {host} or lower, or update the host."));
        }
    }

    private void CheckPrivate(AssemblyFacts user, string name, Version referenced, List<string> missingMembers, int depth)
    {
        if (!_privateFacts.TryGetValue(name, out AssemblyFacts? facts))
        {
            facts = ReadPrivate(user, name);
            _privateFacts[name] = facts;
            if (facts is not null && depth < 32)
            {
                CheckReferences(facts, missingMembers, depth + 1);
            }
        }
        if (facts?.Name.Version is Version present && present < referenced)
        {
            string problemKey = $"{name} {referenced}";
            if (!_problems.Any(p => p.Code == PluginErrorCode.DependencyVersionTooLow && p.Cause.Contains(problemKey, StringComparison.Ordinal)))
            {
                _problems.Add(Problem(PluginErrorCode.DependencyVersionTooLow,
                    $"{Describe(user)} needs {problemKey}, but the plugin folder has {name} {present} ({Relative(facts.Path)}).",
                    $"Rebuild or republish the plugin so its folder holds {name} {referenced} or newer."));
            }
        }
    }

    private AssemblyFacts? ReadPrivate(AssemblyFacts user, string name)
    {
        if (!_folderAssemblies.TryGetValue(name, out List<string>? paths))
        {
            _problems.Add(Problem(PluginErrorCode.MissingPrivateDependency,
                $"{Describe(user)} references {name}, which is neither shared by the host, part of .NET, nor present in the plugin folder.",
                $"Publish or build the plugin with its dependencies (dotnet build/publish copies them with EnableDynamicLoading=true), so {name}.dll lands in its folder."));
            return null;
        }
        try
        {
            return AssemblyFactsReader.ReadFile(paths[0]);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _problems.Add(Problem(PluginErrorCode.NotAManagedAssembly,
                $"Its dependency {Relative(paths[0])} is not a readable .NET assembly: {ex.Message}",
                $"Rebuild the plugin so that {name}.dll is a valid assembly."));
            return null;
        }
    }

    private void CheckSurface(AssemblyFacts user, List<string> missing)
    {
        foreach (TypeUse use in user.TypeUses)
        {
            if (_host.ApiAssemblies.TryGetValue(use.Assembly, out AssemblyFacts? api)
                && !api.Types.ContainsKey(use.FullName) && !api.ForwardedTypes.Contains(use.FullName))
            {
                AddOnce(missing, $"type {use.FullName}");
            }
        }
        foreach (MemberUse use in user.MemberUses)
        {
            if (!_host.ApiAssemblies.TryGetValue(use.Assembly, out AssemblyFacts? api) || api.ForwardedTypes.Contains(use.TypeFullName))
            {
                continue;
            }
            if (!api.Types.ContainsKey(use.TypeFullName) || !HasMember(api, use.TypeFullName, use.Name + " " + use.Signature))
            {
                AddOnce(missing, use.Display);
            }
        }
    }

    private static bool HasMember(AssemblyFacts api, string typeName, string key)
    {
        for (int hops = 0; hops < 64 && api.Types.TryGetValue(typeName, out TypeFacts? type); hops++)
        {
            if (type.Members.Contains(key))
            {
                return true;
            }
            if (type.BaseType is not TypeName { Assembly: null } inner)
            {
                // The base lives outside this API assembly (System.Object, another library): not ours to check.
                return type.BaseType is not null && !type.IsInterface;
            }
            typeName = inner.FullName;
        }
        return false;
    }

    private void CheckInterfaceImplementations(List<string> missing)
    {
        foreach (TypeFacts type in _main.Types.Values)
        {
            if (type.IsInterface)
            {
                continue;
            }
            foreach (TypeName implemented in type.Interfaces)
            {
                if (implemented.Assembly is null || !_host.ApiAssemblies.TryGetValue(implemented.Assembly, out AssemblyFacts? api)
                    || !api.Types.TryGetValue(implemented.FullName, out TypeFacts? contract))
                {
                    continue;
                }
                foreach (string required in contract.AbstractMethodNames)
                {
                    if (!ImplementsByName(type, implemented.FullName, required))
                    {
                        AddOnce(missing, $"{type.FullName} does not implement {implemented.FullName}.{required}, which this host's API requires (added in a newer API?)");
                    }
                }
            }
        }
    }

    private bool ImplementsByName(TypeFacts type, string interfaceName, string method)
    {
        for (TypeFacts? current = type; current is not null;)
        {
            if (current.MethodNames.Contains(method) || current.MethodNames.Contains(interfaceName + "." + method))
            {
                return true;
            }
            current = current.BaseType is TypeName { Assembly: null } baseName ? _main.Types.GetValueOrDefault(baseName.FullName) : null;
        }
        // A base class outside the plugin may implement it; the runtime will tell if not.
        return type.BaseType is TypeName { Assembly: not null } && type.BaseType.Value.FullName != "System.Object";
    }

    private List<string> ResolveEntryTypes(IReadOnlyList<string> manifestEntryTypes)
    {
        IReadOnlyList<string> declared = manifestEntryTypes.Count > 0 ? manifestEntryTypes : _main.DeclaredEntryTypes;
        string contract = _host.ContractDisplay;
        if (declared.Count > 0)
        {
            var accepted = new List<string>();
            foreach (string name in declared)
            {
                string? reason = !_main.Types.TryGetValue(name, out TypeFacts? type) ? "it is not defined in the plugin's main assembly"
                    : !type.IsPublic ? "it is not public"
                    : type.IsInterface ? "it is an interface"
                    : type.IsAbstract ? "it is abstract"
                    : type.IsGenericDefinition ? "it is an open generic type"
                    : !Creatable(type) ? $"it has no public constructor {ConstructorRule}"
                    : !Implements(type) ? $"it does not implement {contract}"
                    : null;
                if (reason is null)
                {
                    accepted.Add(name);
                }
                else
                {
                    _problems.Add(Problem(PluginErrorCode.EntryTypeNotCreatable,
                        $"Declared entry type '{name}' cannot be created: {reason}.",
                        $"Make '{name}' a public, non-abstract class implementing {contract} with a public constructor {ConstructorRule}, or fix the declaration."));
                }
            }
            return accepted;
        }
        var found = _main.Types.Values
            .Where(t => t.IsPublic && !t.IsAbstract && !t.IsInterface && !t.IsGenericDefinition && Implements(t))
            .ToList();
        foreach (TypeFacts type in found.Where(t => !Creatable(t)))
        {
            _problems.Add(Problem(PluginErrorCode.EntryTypeNotCreatable,
                $"Entry type '{type.FullName}' implements {contract} but has no public constructor {ConstructorRule}.",
                $"Add such a constructor to '{type.FullName}'."));
        }
        if (found.Count == 0)
        {
            _problems.Add(Problem(PluginErrorCode.NoEntryPoint,
                $"Its main assembly {Path.GetFileName(_main.Path)} declares no entry type and has no public, non-abstract class implementing {contract}.",
                $"Add a public class implementing {contract}, or declare one with [assembly: PluginEntry(typeof(...))] or 'entryTypes' in plugin.json."));
        }
        return found.Where(Creatable).Select(t => t.FullName).Order(StringComparer.Ordinal).ToList();
    }

    // With an entry factory (dependency injection) any public constructor will do; else Plugboard's own rule applies.
    private bool Creatable(TypeFacts type) => _host.AnyPublicConstructor ? type.HasPublicConstructor : type.HasUsableConstructor;

    private string ConstructorRule => _host.AnyPublicConstructor ? "(the host's entry factory needs one)" : "taking nothing or an IPluginContext";

    private bool Implements(TypeFacts type)
    {
        for (int hops = 0; hops < 64; hops++)
        {
            if (type.Interfaces.Any(_host.IsContract))
            {
                return true;
            }
            switch (type.BaseType)
            {
                case TypeName { Assembly: null } local when _main.Types.TryGetValue(local.FullName, out TypeFacts? next):
                    type = next;
                    continue;
                case TypeName { Assembly: string assembly } external when _host.ApiAssemblies.TryGetValue(assembly, out AssemblyFacts? api)
                    && api.Types.TryGetValue(external.FullName, out TypeFacts? apiBase):
                    return ApiTypeImplements(api, apiBase);
                default:
                    return false;
            }
        }
        return false;
    }

    private bool ApiTypeImplements(AssemblyFacts api, TypeFacts type)
    {
        for (int hops = 0; hops < 64; hops++)
        {
            // Inside the API assembly, its own interfaces have no assembly qualifier: qualify them before asking.
            if (type.Interfaces.Any(i => _host.IsContract(i.Assembly is null ? i with { Assembly = api.Name.Name } : i)))
            {
                return true;
            }
            if (type.BaseType is not TypeName { Assembly: null } local || !api.Types.TryGetValue(local.FullName, out TypeFacts? next))
            {
                return false;
            }
            type = next;
        }
        return false;
    }

    private static void AddOnce(List<string> list, string item)
    {
        if (!list.Contains(item))
        {
            list.Add(item);
        }
    }

    private string Describe(AssemblyFacts assembly) =>
        ReferenceEquals(assembly, _main) ? "The plugin" : $"Its dependency {assembly.Name.Name}";

    private string Relative(string path) => Path.GetRelativePath(_directory, path);

    private PluginException Problem(PluginErrorCode code, string cause, string fix) => new(code, _pluginId, _main.Path, cause, fix);

    /// <summary>Every .dll under the plugin folder by simple name, except satellite resource assemblies.</summary>
    private static Dictionary<string, List<string>> IndexFolder(string directory)
    {
        var index = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (string file in Directory.EnumerateFiles(directory, "*.dll", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileNameWithoutExtension(file);
            if (name.EndsWith(".resources", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            if (!index.TryGetValue(name, out List<string>? paths))
            {
                index[name] = paths = [];
            }
            // Files at the top of the folder first: that is where build and publish put RID-neutral assets.
            if (Path.GetDirectoryName(file) == Path.TrimEndingDirectorySeparator(directory))
            {
                paths.Insert(0, file);
            }
            else
            {
                paths.Add(file);
            }
        }
        return index;
    }
}
