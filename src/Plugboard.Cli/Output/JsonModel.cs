using System.Text.Json;
using Plugboard.Metadata;

namespace Plugboard.Cli.Output;

// The JSON documents the commands write with --json (docs/cli.md describes them). Human output renders the same
// models, so both always say the same thing.

/// <summary>A typed Plugboard error.</summary>
internal sealed record ProblemModel(string Code, string Name, string Plugin, string? Path, string Cause, string Fix, string Message)
{
    public static ProblemModel From(PluginException error) =>
        new(error.CodeText, error.Code.ToString(), error.PluginId, error.PluginPath, error.Cause, error.Fix, error.Message);
}

/// <summary>One plugin of a catalog. <see cref="Compatible"/> is null when no host API was given.</summary>
internal sealed record PluginModel(string Id, string? Version, string Kind, string Directory, string? MainFile, bool? Compatible, string Verdict,
    IReadOnlyList<ProblemModel> Problems, IReadOnlyList<string> Warnings)
{
    public const string NotChecked = "not checked: pass --host-api";

    public static PluginModel From(PluginCatalogEntry entry, bool hostApiChecked)
    {
        // Without a host API only problems of reading the folder (1xx) and of trust (6xx) are facts; the rest would be guesses.
        List<PluginException> problems = hostApiChecked ? [.. entry.Problems] : [.. entry.Problems.Where(p => (int)p.Code is < 200 or >= 600)];
        bool? compatible = hostApiChecked ? entry.IsCompatible : problems.Count > 0 ? false : null;
        string verdict = compatible switch
        {
            true => "compatible",
            false => $"{problems[0].CodeText}: {problems[0].Cause}" + (problems.Count > 1 ? $" (+{problems.Count - 1} more)" : string.Empty),
            null => NotChecked,
        };
        return new PluginModel(entry.Id, entry.Version?.ToNormalizedString(), KindText(entry.Kind), entry.Directory, entry.MainFile, compatible, verdict,
            [.. problems.Select(ProblemModel.From)], entry.Warnings);
    }

    public static string KindText(PluginKind kind) => kind == PluginKind.Native ? "native" : "managed";
}

/// <summary>Counts over a catalog.</summary>
internal sealed record SummaryModel(int Total, int Compatible, int Incompatible, int NotChecked)
{
    public static SummaryModel Of(IReadOnlyList<PluginModel> plugins) =>
        new(plugins.Count, plugins.Count(p => p.Compatible == true), plugins.Count(p => p.Compatible == false), plugins.Count(p => p.Compatible is null));
}

/// <summary>The result of <c>list</c>.</summary>
internal sealed record ListModel(string Directory, bool HostApiChecked, IReadOnlyList<PluginModel> Plugins, SummaryModel Summary);

/// <summary>An assembly a plugin references, and who provides it at run time.</summary>
internal sealed record ReferenceModel(string Name, string Version, string Resolution);

/// <summary>A dependency on another plugin.</summary>
internal sealed record DependencyModel(string Id, string Versions);

/// <summary>One native library of a native plugin, with its exported symbols when the file could be read.</summary>
internal sealed record NativeLibraryModel(string RuntimeIdentifier, string File, bool Exists, string? Format, IReadOnlyList<string>? Exports);

/// <summary>The native section of a manifest.</summary>
internal sealed record NativeModel(int AbiMajor, bool Unloadable, IReadOnlyList<NativeLibraryModel> Libraries);

/// <summary>The manifest as read.</summary>
internal sealed record ManifestModel(string? Id, string? Version, string Kind, string? Assembly, string? Description, IReadOnlyList<string> EntryTypes);

/// <summary>The result of <c>inspect</c>.</summary>
internal sealed record InspectModel(PluginModel Plugin, bool HostApiChecked, ManifestModel? Manifest, IReadOnlyList<string> EntryTypes,
    IReadOnlyList<ReferenceModel> References, IReadOnlyList<string> HostApiTypes, IReadOnlyList<string> HostApiMembers,
    IReadOnlyList<DependencyModel> Dependencies, NativeModel? Native);

/// <summary>The lock file part of <c>verify --locked</c>.</summary>
internal sealed record LockCheckModel(string File, bool Ok, IReadOnlyList<ProblemModel> Problems);

/// <summary>The result of <c>verify</c>.</summary>
internal sealed record VerifyModel(string Directory, bool Ok, IReadOnlyList<PluginModel> Plugins, SummaryModel Summary, LockCheckModel? Lock);

/// <summary>The result of <c>lock</c>.</summary>
internal sealed record LockModel(string File, string Directory, string Algorithm, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Plugins);

/// <summary>A plugin <c>run</c> loaded.</summary>
internal sealed record LoadedModel(string Id, string? Version, IReadOnlyList<string> EntryTypes, IReadOnlyList<string> Instances, PluginIsolation Isolation);

/// <summary>A plugin <c>run</c> could not load, with every error.</summary>
internal sealed record FailedModel(string Id, IReadOnlyList<ProblemModel> Errors);

/// <summary>An unload report.</summary>
internal sealed record UnloadModel(string Id, bool Collected, int Collections, double ElapsedMs, IReadOnlyList<string> Suspects, IReadOnlyList<ProblemModel> StopErrors,
    IReadOnlyList<LeakRootModel> Roots, string? Diagnosis)
{
    public static UnloadModel From(UnloadReport report) =>
        new(report.PluginId, report.Collected, report.Collections, Math.Round(report.Elapsed.TotalMilliseconds, 1), report.Suspects, [.. report.StopErrors.Select(ProblemModel.From)],
            [.. report.Roots.Select(r => new LeakRootModel(JsonNamingPolicy.CamelCase.ConvertName(r.Kind.ToString()), r.Root, r.Chain))], report.Diagnosis);
}

/// <summary>A GC root keeping an unloaded plugin alive, from the deep diagnosis: its kind, which root, the chain of types from it to the plugin.</summary>
internal sealed record LeakRootModel(string Kind, string Root, IReadOnlyList<string> Chain);

/// <summary>A native plugin <c>run</c> loaded, initialized and shut down (its library closed when it declares itself unloadable).</summary>
internal sealed record NativeRunModel(string Id, string Name, string Version, int AbiMinor, string Flags, bool Unloaded);

/// <summary>The result of <c>run</c>.</summary>
internal sealed record RunModel(string Directory, string Contract, bool Ok, IReadOnlyList<LoadedModel> Loaded, IReadOnlyList<NativeRunModel> Native,
    IReadOnlyList<FailedModel> Failed, IReadOnlyList<UnloadModel> Unloaded);

/// <summary>One event of <c>watch</c> (one JSON document per line with --json).</summary>
internal sealed record WatchEventModel(string Event, string PluginId, string? Version, string? PreviousVersion, ProblemModel? Error, UnloadModel? Unload, double ElapsedMs, DateTimeOffset Time);

/// <summary>Written instead of a result when the command itself failed.</summary>
internal sealed record ErrorModel(ProblemModel? Error, string Message, int ExitCode);

/// <summary>Builds the inspect model from a catalog entry.</summary>
internal static class InspectModelBuilder
{
    public static InspectModel Build(PluginCatalogEntry entry, bool hostApiChecked)
    {
        PluginManifest? manifest = entry.Manifest;
        ManifestModel? manifestModel = manifest is null ? null
            : new ManifestModel(manifest.Id, manifest.Version?.ToNormalizedString(), PluginModel.KindText(manifest.Kind), manifest.Assembly, manifest.Description, manifest.EntryTypes);
        NativeModel? native = manifest?.Native is NativeManifestSection section
            ? new NativeModel(section.AbiMajor, section.Unloadable, [.. section.Libraries.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => NativeLibrary(entry.Directory, l.Key, l.Value))])
            : null;
        return new InspectModel(
            PluginModel.From(entry, hostApiChecked),
            hostApiChecked,
            manifestModel,
            entry.EntryTypes,
            [.. entry.References.Select(r => new ReferenceModel(r.Name, r.Version.ToString(), r.Resolution.ToString()))],
            entry.HostApiTypes,
            entry.HostApiMembers,
            [.. entry.Dependencies.Select(d => new DependencyModel(d.Id, d.Versions.PrettyPrint()))],
            native);
    }

    private static NativeLibraryModel NativeLibrary(string directory, string rid, string file)
    {
        string path = Path.Combine(directory, file);
        if (!File.Exists(path))
        {
            return new NativeLibraryModel(rid, file, false, null, null);
        }
        NativeExports exports = NativeExports.Read(path);
        return new NativeLibraryModel(rid, file, true, exports.Format, exports.Symbols);
    }
}

/// <summary>The result of <c>api-check</c>: the breaking changes, and with <c>--plugins</c> the plugins they break.</summary>
internal sealed record ApiCheckModel(string OldApi, string NewApi, bool Ok, IReadOnlyList<ApiBreakModel> Breaks, IReadOnlyList<BrokenPluginModel>? BrokenPlugins);

/// <summary>One change of the new API build that breaks plugins using it.</summary>
internal sealed record ApiBreakModel(string Type, string? Member, string Reason);

/// <summary>A plugin compatible with the old API build and not with the new one, with the problems the new one causes.</summary>
internal sealed record BrokenPluginModel(string Id, string Directory, IReadOnlyList<ProblemModel> Problems);

/// <summary>What bindgen emitted, or why it refused.</summary>
internal sealed record BindgenModel(string Api, string Version, string Language, bool Ok, IReadOnlyList<string> Files, IReadOnlyList<BindgenInterfaceModel> Interfaces,
    IReadOnlyList<BindgenDiagnosticModel> Diagnostics, IReadOnlyList<LayoutChangeModel> Changes);

/// <summary>One exported interface and its layout hash.</summary>
internal sealed record BindgenInterfaceModel(string Id, string Type, int Members, string LayoutHash);

/// <summary>One PLUGBOARD01x diagnostic.</summary>
internal sealed record BindgenDiagnosticModel(string Id, string Severity, string Member, string Message);

/// <summary>One layout difference against --baseline.</summary>
internal sealed record LayoutChangeModel(string Subject, string Kind, string? Member, string Message);
