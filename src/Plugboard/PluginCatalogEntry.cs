using NuGet.Versioning;
using Plugboard.Metadata;

namespace Plugboard;

/// <summary>
/// One plugin as discovery found it: identity, entry points, what it references and whether this host can
/// run it, all read from files without loading anything. An entry never changes once made: inspecting the folder
/// again makes a new one.
/// </summary>
public sealed class PluginCatalogEntry
{
    internal PluginCatalogEntry(string id, string directory, PluginKind kind)
    {
        Id = id;
        Directory = directory;
        Kind = kind;
    }

    /// <summary>The plugin id: <c>plugin.json</c>'s <c>id</c>, else <c>[assembly: PluginId]</c>, else the assembly (or folder) name.</summary>
    public string Id { get; internal init; }

    /// <summary>The plugin version: the manifest's, else the assembly's informational version, else its assembly version.</summary>
    public NuGetVersion? Version { get; internal init; }

    /// <summary>Managed or native.</summary>
    public PluginKind Kind { get; internal init; }

    /// <summary>The plugin's folder.</summary>
    public string Directory { get; }

    /// <summary>The main file: the managed assembly, or the native library for this runtime identifier.</summary>
    public string? MainFile { get; internal init; }

    /// <summary>The parsed <c>plugin.json</c>, if the plugin has one.</summary>
    public PluginManifest? Manifest { get; internal init; }

    /// <summary>Entry types (full names) that will be created when the plugin loads.</summary>
    public IReadOnlyList<string> EntryTypes { get; internal init; } = [];

    /// <summary>Assemblies the main assembly references, with where each resolves.</summary>
    public IReadOnlyList<AssemblyReference> References { get; internal init; } = [];

    /// <summary>The host API assemblies the plugin was compiled against.</summary>
    public IEnumerable<AssemblyReference> HostApiReferences => References.Where(r => r.Resolution == AssemblyResolution.HostApi);

    /// <summary>
    /// The host API types the plugin's main assembly references, by full name, read from metadata (what a host API
    /// change must keep for this plugin to run). Empty when the main assembly could not be read.
    /// </summary>
    internal IReadOnlyList<string> HostApiTypes => Facts is null ? [] :
        [.. Facts.TypeUses.Where(u => IsHostApi(u.Assembly)).Select(u => u.FullName).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    /// <summary>The host API members (methods, constructors, properties' accessors, fields) the plugin's main assembly calls, as signatures read from metadata.</summary>
    internal IReadOnlyList<string> HostApiMembers => Facts is null ? [] :
        [.. Facts.MemberUses.Where(u => IsHostApi(u.Assembly)).Select(u => u.Display).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    /// <summary>Other plugins this one depends on (from its manifest).</summary>
    public IReadOnlyList<PluginDependency> Dependencies => Manifest?.Dependencies ?? [];

    /// <summary>Why the plugin cannot run here; empty when it can.</summary>
    public IReadOnlyList<PluginException> Problems { get; internal init; } = [];

    /// <summary>Things worth knowing that do not stop the plugin (e.g. it ships a copy of the host API that will be ignored).</summary>
    public IReadOnlyList<string> Warnings { get; internal init; } = [];

    /// <summary>
    /// The isolation the host's trust policy requires for this plugin, whatever its isolation options say:
    /// <see cref="PluginIsolation.OutOfProcess"/> for a plugin the lock file does not list when
    /// <see cref="Trust.PluginTrustPolicy.IsolateUnlistedPlugins"/> is set; null when the host's options decide.
    /// </summary>
    public PluginIsolation? RequiredIsolation { get; internal init; }

    /// <summary>True when nothing found stops this host from loading the plugin.</summary>
    public bool IsCompatible => Problems.Count == 0;

    /// <summary>One line: compatible, or the first problem's code and cause.</summary>
    public string Verdict => IsCompatible ? "compatible" : $"{Problems[0].CodeText}: {Problems[0].Cause}" + (Problems.Count > 1 ? $" (+{Problems.Count - 1} more)" : string.Empty);

    internal AssemblyFacts? Facts { get; init; }

    /// <summary>The version as events and results report it (normalized), or null when unknown.</summary>
    internal string? VersionText => Version?.ToNormalizedString();

    /// <summary>The digest of the files this entry describes: a load of different bytes is refused.</summary>
    internal string? SnapshotDigest { get; init; }

    /// <summary>A new entry like this one with <paramref name="problems"/> instead of its problems: entries never change once made.</summary>
    internal PluginCatalogEntry WithProblems(IReadOnlyList<PluginException> problems) => new(Id, Directory, Kind)
    {
        Version = Version,
        MainFile = MainFile,
        Manifest = Manifest,
        EntryTypes = EntryTypes,
        References = References,
        Problems = problems,
        Warnings = Warnings,
        Facts = Facts,
        SnapshotDigest = SnapshotDigest,
    };

    private bool IsHostApi(string assembly) => HostApiReferences.Any(r => string.Equals(r.Name, assembly, StringComparison.OrdinalIgnoreCase));

    /// <inheritdoc />
    public override string ToString() => $"{Id} {Version} [{Kind}] {Verdict}";
}
