using System.Reflection;
using Plugboard.Metadata;
using Plugboard.Trust;

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
    private readonly PluginSnapshot _snapshot;
    private readonly AssemblyFacts _main;
    private readonly List<PluginException> _problems = [];
    private readonly List<string> _warnings = [];
    private readonly List<AssemblyReference> _references = [];
    private readonly Dictionary<string, List<string>> _folderAssemblies;
    private readonly Dictionary<string, AssemblyFacts?> _privateFacts = new(StringComparer.OrdinalIgnoreCase);

    private readonly IReadOnlyDictionary<string, Version> _fromPlugins;
    private readonly List<(AssemblyFacts User, string Name, Version Referenced, Version Host)> _newerApiReferences = [];
    private readonly List<string> _absentFrameworks = [];
    private readonly HashSet<string> _keptPrivate = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _declaredFrameworkAssemblies = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _sharedDecided = new(StringComparer.OrdinalIgnoreCase);
    private HashSet<string>? _absentFrameworkAssemblies = [];

    private readonly Func<string, Version, string?>? _providerMainFile;

    /// <param name="host">What the host offers.</param>
    /// <param name="pluginId">The plugin's id, for messages.</param>
    /// <param name="snapshot">The plugin's files as read once: every file the check reads (dependencies, runtimeconfig) comes from it, never from the folder.</param>
    /// <param name="main">The plugin's main assembly.</param>
    /// <param name="fromPlugins">Assemblies the plugin's plugin dependencies provide (name and version).</param>
    /// <param name="providerMainFile">Where such a provided assembly's file is (by name and version), to read its public surface.</param>
    public CompatibilityCheck(HostApi host, string pluginId, PluginSnapshot snapshot, AssemblyFacts main, IReadOnlyDictionary<string, Version>? fromPlugins = null,
        Func<string, Version, string?>? providerMainFile = null)
    {
        _providerMainFile = providerMainFile;
        _fromPlugins = fromPlugins ?? new Dictionary<string, Version>();
        _host = host;
        _pluginId = pluginId;
        _snapshot = snapshot;
        _main = main;
        _folderAssemblies = IndexFolder(snapshot);
    }

    public IReadOnlyList<PluginException> Problems => _problems;

    public IReadOnlyList<string> Warnings => _warnings;

    /// <summary>The main assembly's direct references, classified.</summary>
    public IReadOnlyList<AssemblyReference> References => _references;

    public IReadOnlyList<string> EntryTypes { get; private set; } = [];

    public CompatibilityCheck Run(IReadOnlyList<string> manifestEntryTypes)
    {
        CheckRuntime();
        CheckFrameworks();
        _host.ResetKeptPrivate(_main.Path);
        var findings = new SurfaceFindings();
        CheckReferences(_main, findings, depth: 0);
        CheckShippedSharedCopies();
        CheckPluginSurfaceConflicts();
        string apis = findings.IsEmpty ? string.Empty : string.Join(", ", _host.ApiAssemblies.Values.Select(a => $"{a.Name.Name} {a.Name.Version}"));
        int surfaceProblems = _problems.Count;
        if (findings.Missing.Count > 0)
        {
            _problems.Add(Problem(PluginErrorCode.HostApiMembersMissing,
                $"It uses {findings.Missing.Count} host API member(s) that this host's API ({apis}) does not have: {List(findings.Missing)}.",
                "Rebuild the plugin against the host API version this host ships, or update the host to an API version that has these members."));
        }
        if (findings.NotImplemented.Count > 0)
        {
            _problems.Add(Problem(PluginErrorCode.ContractMemberNotImplemented,
                $"Its types do not fulfil {findings.NotImplemented.Count} requirement(s) of this host's API ({apis}), so the runtime would refuse to load them: {List(findings.NotImplemented)}.",
                "Rebuild the plugin against the host API version this host ships and implement the members the compiler asks for (an interface or abstract class of the API changed)."));
        }
        if (findings.Inaccessible.Count > 0)
        {
            _problems.Add(Problem(PluginErrorCode.HostApiMemberNotAccessible,
                $"It uses {findings.Inaccessible.Count} host API type(s) or member(s) that exist but are not accessible to plugins in this host's API ({apis}): {List(findings.Inaccessible)}.",
                "Rebuild the plugin against the host API version this host ships (the API made these internal, private or protected), or ask the host's authors to keep them public."));
        }
        // The version verdict reads first, as it did before the surface check decided it.
        _problems.InsertRange(surfaceProblems, VersionRuleProblems(findings));
        EntryTypes = ResolveEntryTypes(manifestEntryTypes);
        return this;
    }

    /// <summary>
    /// A dependency plugin whose public API exposes a type of a library this plugin loads its own copy of: the two
    /// copies are two types at run time (each plugin context loads its own), so every call passing one fails.
    /// </summary>
    private void CheckPluginSurfaceConflicts()
    {
        foreach ((string provider, Version version) in _fromPlugins)
        {
            if (_providerMainFile?.Invoke(provider, version) is not string providerPath || !File.Exists(providerPath))
            {
                continue;
            }
            Dictionary<string, HashSet<string>> exposed;
            try
            {
                exposed = AssemblyFactsReader.ReadSurfaceTypes(providerPath);
            }
            catch (Exception ex) when (ex is BadImageFormatException or IOException or UnauthorizedAccessException)
            {
                continue;
            }
            foreach ((string library, HashSet<string> types) in exposed.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                if (_host.IsShared(library) || _host.IsApi(library) || FrameworkAssemblies.Contains(library) || _fromPlugins.ContainsKey(library)
                    || !_folderAssemblies.TryGetValue(library, out List<string>? ownCopies) || !_main.References.Any(r => string.Equals(r.Name, library, StringComparison.OrdinalIgnoreCase)))
                {
                    continue;
                }
                List<string> used = [.. _main.TypeUses.Where(u => string.Equals(u.Assembly, library, StringComparison.OrdinalIgnoreCase) && types.Contains(u.FullName)).Select(u => u.FullName).Distinct().Order(StringComparer.Ordinal)];
                string named = string.Join(", ", (used.Count > 0 ? used : [.. types.Order(StringComparer.Ordinal).Take(3)]));
                string providerCopy = Path.Combine(Path.GetDirectoryName(providerPath) ?? string.Empty, library + ".dll");
                _problems.Add(Problem(PluginErrorCode.PluginDependencyTypeConflict,
                    $"Its plugin dependency {provider} exposes {named} from {library} in its public API, and this plugin loads its own copy of {library}: {provider}'s ({(File.Exists(providerCopy) ? providerCopy : "resolved in its own context")}) and this plugin's ({ownCopies[0]}) would be two different types at run time, so calls between the two plugins passing them would fail (MissingMethodException, InvalidCastException).",
                    $"Share {library} through the host (PluginHostOptions.SharedAssemblies, or --shared for the CLI) so both plugins use one copy, or keep {library}'s types out of {provider}'s public API."));
            }
        }
    }

    private static string List(IReadOnlyList<string> items) =>
        string.Join("; ", items.Take(MaxListedMembers)) + (items.Count > MaxListedMembers ? $"; and {items.Count - MaxListedMembers} more" : string.Empty);

    /// <summary>The newer-minor references, decided by <see cref="HostApiVersionRule"/> now that the surface check ran.</summary>
    private List<PluginException> VersionRuleProblems(SurfaceFindings findings)
    {
        var problems = new List<PluginException>();
        foreach ((AssemblyFacts user, string name, Version referenced, Version host) in _newerApiReferences)
        {
            if (HostApiVersionRule.AcceptsNewerMinor(_host.VersionRule, surfaceProven: findings.IsEmpty))
            {
                _warnings.Add($"{Describe(user)} was built against host API {name} {referenced}, newer than this host's {name} {host}; it is accepted because every {name} type and member it uses exists here with the same signature (rule SurfaceProven). Constants and enum values are compiled into the plugin and are not checked.");
                continue;
            }
            problems.Add(VersionProblem(user, name, HostApiVersionRule.Verdict.NewerMinor, referenced, host));
        }
        return problems;
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

    private void CheckFrameworks()
    {
        foreach ((string name, string? version, string evidence) in SharedFrameworks.Required(_snapshot.Find(Relative(Path.ChangeExtension(_main.Path, ".runtimeconfig.json")))?.Bytes, UnresolvedReferences))
        {
            if (_host.Frameworks.Contains(name))
            {
                if (!FrameworkAssemblies.Frameworks.Contains(name) && SharedFrameworks.InstalledAssemblies(name) is IReadOnlySet<string> declared)
                {
                    // A tool checking for a host that runs another framework than the tool itself: its assemblies are the framework's.
                    _declaredFrameworkAssemblies.UnionWith(declared);
                }
                continue;
            }
            // The framework's assemblies are not missing files of the plugin: say so once, and do not blame the folder.
            _absentFrameworks.Add(name);
            // Known names when the framework is installed on this machine; else (null) any reference the folder lacks may be its.
            IReadOnlySet<string>? known = SharedFrameworks.InstalledAssemblies(name);
            _absentFrameworkAssemblies = known is null || _absentFrameworkAssemblies is null ? null : [.. _absentFrameworkAssemblies, .. known];
            _problems.Add(Problem(PluginErrorCode.SharedFrameworkNotInHost,
                $"It needs the shared framework {name}{(version is null ? string.Empty : " " + version)} ({evidence}), but this host runs only {string.Join(", ", _host.Frameworks.Order(StringComparer.Ordinal))}. A plugin cannot bring a shared framework with it.",
                $"Load the plugin in a host that runs {name} (for ASP.NET Core: a host project with <FrameworkReference Include=\"{name}\" /> or the Microsoft.NET.Sdk.Web SDK), or remove the plugin's dependency on {name}."));
        }
    }

    /// <summary>The main assembly's references that neither the host, this process's frameworks, a plugin dependency nor the plugin folder satisfy.</summary>
    private List<string> UnresolvedReferences() =>
        [.. _main.References.Select(r => r.Name!).Where(n => !_host.IsApi(n) && !_host.IsShared(n) && !FrameworkAssemblies.Contains(n)
            && !_fromPlugins.ContainsKey(n) && !_folderAssemblies.ContainsKey(n)).Distinct(StringComparer.OrdinalIgnoreCase)];

    /// <summary>Whether a reference the plugin folder cannot satisfy belongs to a framework the host does not run (already reported).</summary>
    private bool FromAbsentFramework(string name) =>
        _absentFrameworks.Count > 0 && (_absentFrameworkAssemblies is null || _absentFrameworkAssemblies.Contains(name));

    private void CheckShippedSharedCopies()
    {
        foreach (string shared in _host.SharedNames)
        {
            if (_folderAssemblies.ContainsKey(shared) && !_keptPrivate.Contains(shared))
            {
                _warnings.Add($"PB0206 The plugin folder ships its own copy of '{shared}'; Plugboard ignores it and uses the host's, so types keep one identity. Reference it with Private=\"false\" and ExcludeAssets=\"runtime\" to stop copying it.");
            }
        }
    }

    private void CheckReferences(AssemblyFacts assembly, SurfaceFindings findings, int depth)
    {
        SurfaceCheck.Run(_host.Surface, _host.IsApi, assembly, findings);
        ImplementationCheck.Run(_host.Surface, _host.IsApi, assembly, findings);
        foreach (AssemblyName reference in assembly.References)
        {
            string name = reference.Name!;
            Version version = reference.Version ?? new Version(0, 0, 0, 0);
            AssemblyResolution resolution;
            ResolutionStep step = ResolutionRule.Decide(_host, name, _fromPlugins.ContainsKey, shared => KeepsOwnCopy(assembly, shared), _folderAssemblies.ContainsKey);
            if (step == ResolutionStep.HostApi)
            {
                resolution = AssemblyResolution.HostApi;
                CheckApiVersion(assembly, name, version, _host.ApiAssemblies[name].Name.Version ?? new Version(0, 0));
            }
            else if (step == ResolutionStep.OtherPlugin)
            {
                resolution = AssemblyResolution.Plugin;
                CheckSharedVersion(assembly, name, version, _fromPlugins[name]);
            }
            else if (step == ResolutionStep.Shared)
            {
                resolution = AssemblyResolution.Shared;
                CheckSharedVersion(assembly, name, version, _host.SharedVersion(name));
            }
            else if (step == ResolutionStep.PrivateFramework)
            {
                // The framework's own file, loaded into the plugin's context: private, and nothing of the folder to check.
                resolution = AssemblyResolution.Private;
            }
            else if (step == ResolutionStep.PluginFile)
            {
                // The plugin's own copy: a private dependency; a shared assembly that is shared only because a shared
                // assembly exposes it, which this plugin's use never crosses the boundary with (its copy and version
                // stay private, as if the host did not have it); or a newer copy of a framework assembly.
                resolution = AssemblyResolution.Private;
                CheckPrivate(assembly, name, version, findings, depth);
            }
            else if (FrameworkAssemblies.Contains(name) || _declaredFrameworkAssemblies.Contains(name))
            {
                resolution = AssemblyResolution.Framework;
            }
            else if (_host.IsInHostClosure(name))
            {
                // Not shared, and the plugin brings no copy: its load context falls back to the host's.
                resolution = AssemblyResolution.Shared;
                CheckSharedVersion(assembly, name, version, _host.ClosureVersion(name));
            }
            else
            {
                // Not anywhere: CheckPrivate reports the missing file.
                resolution = AssemblyResolution.Private;
                CheckPrivate(assembly, name, version, findings, depth);
            }
            if (depth == 0)
            {
                _references.Add(new AssemblyReference(name, version, resolution));
            }
        }
    }

    /// <summary>
    /// Whether the plugin keeps its own copy of a shared assembly: it ships one, the assembly is shared only because a
    /// shared assembly's public surface exposes it, and no member the plugin uses or implements from the shared
    /// assemblies names one of those exposed types. Recorded in the host, so the plugin's load context agrees.
    /// </summary>
    private bool KeepsOwnCopy(AssemblyFacts user, string name)
    {
        if (_keptPrivate.Contains(name))
        {
            return true;
        }
        if (_sharedDecided.Contains(name) || _host.IsSharedRoot(name) || !_folderAssemblies.ContainsKey(name))
        {
            return false;
        }
        IReadOnlySet<string> exposed = _host.ExposedTypes(name);
        bool needsIdentity = NeedsIdentity(_main, name, exposed) || (!ReferenceEquals(user, _main) && NeedsIdentity(user, name, exposed));
        if (needsIdentity)
        {
            _sharedDecided.Add(name);
            return false;
        }
        _keptPrivate.Add(name);
        _host.KeepPrivate(_main.Path, name);
        return true;
    }

    private bool NeedsIdentity(AssemblyFacts user, string library, IReadOnlySet<string> exposedTypes)
    {
        bool Names(string signature) => exposedTypes.Any(t => signature.Contains(t, StringComparison.Ordinal));
        // Uses of the library itself are the plugin's business; uses of the shared assemblies exposing it cross the boundary.
        bool Exposing(string assembly) => !string.Equals(assembly, library, StringComparison.OrdinalIgnoreCase) && !_keptPrivate.Contains(assembly)
            && (_host.IsShared(assembly) || _host.IsApi(assembly));
        if (user.MemberUses.Any(u => Exposing(u.Assembly) && Names(u.Signature)))
        {
            return true;
        }
        // A plugin type implementing or deriving from a shared type whose members name an exposed type.
        foreach (TypeFacts type in user.Types.Values)
        {
            foreach (TypeName inherited in type.Interfaces.Select(i => i.Definition).Append(type.BaseType ?? default))
            {
                if (inherited.Assembly is string assembly && Exposing(assembly) && _host.FactsOf(assembly)?.Types.GetValueOrDefault(inherited.FullName) is TypeFacts shared
                    && shared.Members.Values.Any(m => Names(m.Signature)))
                {
                    return true;
                }
            }
        }
        return false;
    }

    private void CheckApiVersion(AssemblyFacts user, string name, Version referenced, Version host)
    {
        HostApiVersionRule.Verdict verdict = HostApiVersionRule.Compare(referenced, host);
        if (verdict == HostApiVersionRule.Verdict.OtherMajor)
        {
            _problems.Add(VersionProblem(user, name, verdict, referenced, host));
        }
        else if (verdict == HostApiVersionRule.Verdict.NewerMinor)
        {
            // Decided after the surface check: under SurfaceProven it depends on what the plugin really uses.
            _newerApiReferences.Add((user, name, referenced, host));
        }
    }

    private PluginException VersionProblem(AssemblyFacts user, string name, HostApiVersionRule.Verdict verdict, Version referenced, Version host) =>
        Problem(PluginErrorCode.HostApiVersionIncompatible,
            $"{Describe(user)} was built against host API {name} {referenced}, but this host provides {name} {host}: {HostApiVersionRule.Reason(verdict, _host.VersionRule, referenced, host)}.",
            HostApiVersionRule.Fix(name, referenced, host));

    private void CheckSharedVersion(AssemblyFacts user, string name, Version referenced, Version host)
    {
        if (referenced > host)
        {
            _problems.Add(Problem(PluginErrorCode.HostApiVersionIncompatible,
                $"{Describe(user)} references {name} {referenced}, but the host shares {name} {host} with all plugins and a lower version cannot stand in for a higher one.",
                $"Build the plugin against {name} {host} or lower, or update the host."));
        }
    }

    private void CheckPrivate(AssemblyFacts user, string name, Version referenced, SurfaceFindings findings, int depth)
    {
        if (!_privateFacts.TryGetValue(name, out AssemblyFacts? facts))
        {
            facts = ReadPrivate(user, name);
            _privateFacts[name] = facts;
            if (facts is not null && depth < 32)
            {
                CheckReferences(facts, findings, depth + 1);
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
            if (FromAbsentFramework(name))
            {
                return null;
            }
            _problems.Add(Problem(PluginErrorCode.MissingPrivateDependency,
                $"{Describe(user)} references {name}, which is neither shared by the host, part of .NET, nor present in the plugin folder.",
                $"Publish or build the plugin with its dependencies (dotnet build/publish copies them with EnableDynamicLoading=true), so {name}.dll lands in its folder."));
            return null;
        }
        try
        {
            return AssemblyFactsReader.ReadBytes(_snapshot.Find(Relative(paths[0]))!.Bytes, paths[0]);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _problems.Add(Problem(PluginErrorCode.NotAManagedAssembly,
                $"Its dependency {Relative(paths[0])} is not a readable .NET assembly: {ex.Message}",
                $"Rebuild the plugin so that {name}.dll is a valid assembly."));
            return null;
        }
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

    private bool Creatable(TypeFacts type) => EntryConstructorRule.Creatable(type, _host.AnyPublicConstructor);

    private string ConstructorRule => EntryConstructorRule.Describe(_host.AnyPublicConstructor);

    private bool Implements(TypeFacts type)
    {
        for (int hops = 0; hops < 64; hops++)
        {
            if (type.Interfaces.Any(i => _host.IsContract(i.Definition)))
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
            if (type.Interfaces.Any(i => _host.IsContract(i.Definition.Assembly is null ? i.Definition with { Assembly = api.Name.Name } : i.Definition)))
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

    private string Describe(AssemblyFacts assembly) =>
        ReferenceEquals(assembly, _main) ? "The plugin" : $"Its dependency {assembly.Name.Name}";

    private string Relative(string path) => Path.GetRelativePath(_snapshot.Directory, path);

    private PluginException Problem(PluginErrorCode code, string cause, string fix) => new(code, _pluginId, _main.Path, cause, fix);

    /// <summary>Every .dll of the snapshot by simple name (full paths, top of the folder first), except satellite resource assemblies.</summary>
    private static Dictionary<string, List<string>> IndexFolder(PluginSnapshot snapshot)
    {
        var index = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (string relative in snapshot.Files.Keys.Order(StringComparer.Ordinal))
        {
            if (!relative.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            string name = Path.GetFileNameWithoutExtension(relative);
            if (name.EndsWith(".resources", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            if (!index.TryGetValue(name, out List<string>? paths))
            {
                index[name] = paths = [];
            }
            // Files at the top of the folder first: that is where build and publish put RID-neutral assets.
            string path = snapshot.PathOf(relative);
            if (!relative.Contains('/', StringComparison.Ordinal))
            {
                paths.Insert(0, path);
            }
            else
            {
                paths.Add(path);
            }
        }
        return index;
    }
}
