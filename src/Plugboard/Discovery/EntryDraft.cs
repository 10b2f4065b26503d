using NuGet.Versioning;
using Plugboard.Metadata;

namespace Plugboard.Discovery;

/// <summary>
/// A catalog entry while <see cref="PluginInspector"/> works it out, step by step; <see cref="Build"/> makes the
/// immutable <see cref="PluginCatalogEntry"/>. Only inspection ever sees one.
/// </summary>
internal sealed class EntryDraft(string id, string directory)
{
    public string Id { get; set; } = id;

    public string Directory { get; } = directory;

    public PluginKind Kind { get; set; } = PluginKind.Managed;

    public NuGetVersion? Version { get; set; }

    public string? MainFile { get; set; }

    public PluginManifest? Manifest { get; set; }

    public IReadOnlyList<string> EntryTypes { get; set; } = [];

    public IReadOnlyList<AssemblyReference> References { get; set; } = [];

    public IReadOnlyList<PluginException> Problems { get; set; } = [];

    public IReadOnlyList<string> Warnings { get; set; } = [];

    public AssemblyFacts? Facts { get; set; }

    public string? SnapshotDigest { get; set; }

    public PluginIsolation? RequiredIsolation { get; set; }

    public IReadOnlyList<PluginDependency> Dependencies => Manifest?.Dependencies ?? [];

    public bool IsCompatible => Problems.Count == 0;

    public PluginCatalogEntry Build() => new(Id, Directory, Kind)
    {
        Version = Version,
        MainFile = MainFile,
        Manifest = Manifest,
        EntryTypes = EntryTypes,
        References = References,
        Problems = Problems,
        Warnings = Warnings,
        Facts = Facts,
        SnapshotDigest = SnapshotDigest,
        RequiredIsolation = RequiredIsolation,
    };
}
