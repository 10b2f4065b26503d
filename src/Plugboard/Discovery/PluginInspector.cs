using NuGet.Versioning;
using Plugboard.Compatibility;
using Plugboard.Metadata;

namespace Plugboard.Discovery;

/// <summary>
/// Turns plugin folders into catalog entries: reads the manifest and the main assembly's metadata and runs
/// the compatibility check. Every failure becomes a problem on the entry; nothing here throws for a bad plugin.
/// </summary>
internal sealed class PluginInspector(HostApi host, Trust.PluginTrustPolicy? trust = null)
{
    // Below this many folders a scan stays on the calling thread: handing work to other threads costs more than it saves.
    private const int ParallelFrom = 8;

    private readonly Trust.TrustCheck? _trust = trust is null ? null : new Trust.TrustCheck(trust);

    // The main file of every managed plugin inspected, by assembly name and version: where a dependency plugin's
    // public surface is read for the dependents' check (one identity for the third-party types it exposes).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _mainFiles = new(StringComparer.OrdinalIgnoreCase);

    // The files inspection read for each loadable entry it made, handed to the load of that entry once, so that
    // loading right after uses the very same bytes. Held beside the entries (they never change) and only as long as they live.
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<PluginCatalogEntry, Trust.PluginSnapshot> _kept = [];

    /// <summary>
    /// The bytes to load for an entry: the snapshot inspection kept, or a new one, with the trust policy applied to
    /// it right before loading. A snapshot whose files differ from the ones the entry describes is refused, so what
    /// runs is always what the entry (its version, its entry types) and the lock file say.
    /// </summary>
    /// <exception cref="PluginException">The files cannot be read safely, are not trusted, or changed since the entry was made.</exception>
    public Trust.PluginSnapshot SnapshotForLoad(PluginCatalogEntry entry)
    {
        if (_trust?.CheckLocation(entry.Directory, entry.Id) is [PluginException outside, ..])
        {
            throw outside;
        }
        Trust.PluginSnapshot snapshot = Take(entry) ?? Trust.PluginSnapshot.Take(entry.Directory, entry.Id);
        if (snapshot.Problems.Count > 0)
        {
            throw snapshot.Problems[0];
        }
        bool unvetted = false;
        if (_trust?.CheckFiles(snapshot, entry.Id, out unvetted) is [PluginException untrusted, ..])
        {
            throw untrusted;
        }
        if (unvetted && entry.RequiredIsolation != PluginIsolation.OutOfProcess)
        {
            // The lock changed since discovery and no longer lists the plugin: the entry's isolation was chosen for vetted code.
            throw new PluginException(PluginErrorCode.IntegrityCheckFailed, entry.Id, entry.Directory,
                "The lock file no longer lists the plugin folder, so it was not vetted, and its catalog entry was made when it was.",
                "Discover (or inspect) the plugin again: the new entry runs it out of process; or vet it and add it to the lock with 'plugboard lock'.");
        }
        if (!string.Equals(snapshot.Digest, entry.SnapshotDigest, StringComparison.Ordinal))
        {
            throw new PluginException(PluginErrorCode.PluginChangedSinceDiscovery, entry.Id, entry.Directory,
                "The plugin's files changed since it was discovered, so its catalog entry (version, entry types, compatibility) no longer describes them.",
                "Discover (or inspect) the plugin again and load the new entry; hot reload does this by itself.");
        }
        return snapshot;
    }

    public PluginCatalog Scan(string pluginsDirectory)
    {
        string root = Path.GetFullPath(pluginsDirectory);
        if (!Directory.Exists(root))
        {
            throw new PluginException(PluginErrorCode.DirectoryNotFound, Path.GetFileName(Path.TrimEndingDirectorySeparator(root)), root,
                "The plugins folder does not exist.",
                "Create the folder, or point the host at the folder your plugins are built or published into.");
        }
        string[] folders = [.. Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal)];
        // Each folder is read, hashed and checked on its own (nothing of one inspection is shared with another but
        // the host API, which is read-only here): the folders are spread over the cores, the catalog keeps their order.
        var inspected = new PluginCatalogEntry[folders.Length];
        if (folders.Length >= ParallelFrom && Environment.ProcessorCount > 1)
        {
            Parallel.For(0, folders.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i => inspected[i] = Inspect(folders[i]));
        }
        else
        {
            for (int i = 0; i < folders.Length; i++)
            {
                inspected[i] = Inspect(folders[i]);
            }
        }
        List<PluginCatalogEntry> entries = [.. inspected];
        MarkDuplicates(entries);
        // Second pass for plugins that depend on plugins: their dependencies' assemblies are shared, not private.
        for (int i = 0; i < entries.Count; i++)
        {
            if (entries[i].Dependencies.Count > 0 && entries[i].Kind == PluginKind.Managed)
            {
                List<PluginCatalogEntry> all = entries;
                if (ProvidedBy(entries[i], all).Count > 0)
                {
                    // From the bytes already read when there are some: one read of the folder per scan.
                    PluginCatalogEntry again = Take(entries[i]) is Trust.PluginSnapshot kept
                        ? Inspect(kept, e => ProvidedBy(e, all))
                        : Inspect(entries[i].Directory, e => ProvidedBy(e, all));
                    PluginException[] duplicate = [.. entries[i].Problems.Where(p => p.Code == PluginErrorCode.DuplicatePluginId)];
                    entries[i] = duplicate.Length == 0 ? again : Replace(again, again.WithProblems([.. again.Problems, .. duplicate]));
                }
            }
        }
        foreach (PluginCatalogEntry entry in entries.Where(e => !e.IsCompatible))
        {
            // Only a plugin that can load keeps its bytes: loading it uses them instead of reading the folder again.
            Take(entry);
        }
        return new PluginCatalog(root, entries);
    }

    /// <summary>Assemblies the entry's plugin dependencies (transitively) provide: their main assemblies.</summary>
    public static Dictionary<string, Version> ProvidedBy(PluginCatalogEntry entry, IEnumerable<PluginCatalogEntry> candidates)
    {
        var provided = new Dictionary<string, Version>(StringComparer.OrdinalIgnoreCase);
        // Only a plugin whose main assembly was read provides (and passes on) assemblies.
        foreach (PluginCatalogEntry target in new PluginGraph(candidates.Where(c => c.Facts is not null)).DependenciesOf(entry))
        {
            provided[target.Facts!.Name.Name!] = target.Facts.Name.Version ?? new Version(0, 0);
        }
        return provided;
    }

    /// <param name="pluginDirectory">The plugin's folder.</param>
    /// <param name="providedByPlugins">For a plugin with plugin dependencies: the assemblies those provide (name → version).</param>
    public PluginCatalogEntry Inspect(string pluginDirectory, Func<PluginCatalogEntry, IReadOnlyDictionary<string, Version>>? providedByPlugins = null)
    {
        string directory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(pluginDirectory));
        string folderName = Path.GetFileName(directory);
        var entry = new EntryDraft(folderName, directory);
        if (!Directory.Exists(directory))
        {
            entry.Problems = [new PluginException(PluginErrorCode.DirectoryNotFound, folderName, directory,
                "The plugin folder does not exist.", "Build or publish the plugin into this folder, or remove it from the host's configuration.")];
            return entry.Build();
        }
        // Trust first: a folder outside the allowed ones is not even read; a tampered or planted one is refused
        // before its manifest is parsed.
        if (_trust?.CheckLocation(directory, folderName) is { Count: > 0 } outside)
        {
            entry.Problems = outside;
            return entry.Build();
        }
        // Every file is read once, here; everything below looks at these bytes, and loading uses them too.
        return Inspect(Trust.PluginSnapshot.Take(directory, folderName), providedByPlugins);
    }

    /// <summary>
    /// Inspects a plugin from files already read: its folder is not touched. The trust policy, when there is one,
    /// is applied to these bytes. The worker of an out-of-process plugin inspects its host's snapshot this way.
    /// </summary>
    /// <param name="snapshot">The plugin's files.</param>
    /// <param name="providedByPlugins">For a plugin with plugin dependencies: the assemblies those provide (name → version).</param>
    public PluginCatalogEntry Inspect(Trust.PluginSnapshot snapshot, Func<PluginCatalogEntry, IReadOnlyDictionary<string, Version>>? providedByPlugins = null)
    {
        string folderName = Path.GetFileName(snapshot.Directory);
        var entry = new EntryDraft(folderName, snapshot.Directory);
        entry.SnapshotDigest = snapshot.Digest;
        if (snapshot.Problems.Count > 0)
        {
            entry.Problems = snapshot.Problems;
            return entry.Build();
        }
        bool unvetted = false;
        if (_trust?.CheckFiles(snapshot, folderName, out unvetted) is { Count: > 0 } untrusted)
        {
            entry.Problems = untrusted;
            return entry.Build();
        }
        entry.RequiredIsolation = unvetted ? PluginIsolation.OutOfProcess : null;
        try
        {
            entry.Manifest = snapshot.Find(PluginManifest.FileName) is Trust.SnapshotFile manifest
                ? PluginManifest.Parse(manifest.Bytes, folderName, snapshot.PathOf(PluginManifest.FileName), snapshot.Directory)
                : null;
        }
        catch (PluginException ex)
        {
            entry.Problems = [ex];
            return entry.Build();
        }
        entry.Id = entry.Manifest?.Id ?? folderName;
        entry.Version = entry.Manifest?.Version;
        entry.Kind = entry.Manifest?.Kind ?? PluginKind.Managed;
        if (entry.Kind == PluginKind.Native)
        {
            InspectNative(entry, snapshot);
        }
        else
        {
            InspectManaged(entry, snapshot, providedByPlugins);
        }
        PluginCatalogEntry made = entry.Build();
        // Loading uses these bytes, for a native library as for an assembly: what runs is what was checked.
        if (made.IsCompatible)
        {
            _kept.AddOrUpdate(made, snapshot);
        }
        return made;
    }

    private void InspectManaged(EntryDraft entry, Trust.PluginSnapshot snapshot, Func<PluginCatalogEntry, IReadOnlyDictionary<string, Version>>? providedByPlugins)
    {
        string? main = FindMainAssembly(entry, snapshot);
        if (main is null)
        {
            return;
        }
        entry.MainFile = main;
        string mainRelative = Path.GetRelativePath(entry.Directory, main);
        if (Trust.ResolverPathCheck.Check(snapshot, mainRelative, entry.Id) is PluginException escape)
        {
            entry.Problems = [escape];
            return;
        }
        AssemblyFacts facts;
        try
        {
            facts = AssemblyFactsReader.ReadBytes(snapshot.Find(mainRelative)!.Bytes, main);
        }
        catch (Exception ex) when (ex is not (IOException or UnauthorizedAccessException or OutOfMemoryException))
        {
            // Arbitrary bytes make the metadata reader fail in arbitrary ways (bad image, overflow, out of range):
            // all of them mean the same thing to the user.
            entry.Problems = [new PluginException(PluginErrorCode.NotAManagedAssembly, entry.Id, main,
                $"The file is not a valid .NET assembly: {ex.Message}",
                "Rebuild the plugin; if the file is a native library, give the folder a plugin.json with \"kind\": \"native\".", ex)];
            return;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            entry.Problems = [new PluginException(PluginErrorCode.AssemblyNotFound, entry.Id, main,
                $"The file cannot be read: {ex.Message}", "Check that the file exists and the host may read it.", ex)];
            return;
        }
        entry.Facts = facts;
        entry.Id = entry.Manifest?.Id ?? facts.DeclaredId ?? facts.Name.Name ?? entry.Id;
        entry.Version ??= VersionOf(facts);
        if (facts.IsReferenceAssembly || !facts.HasCode)
        {
            entry.Problems = [new PluginException(PluginErrorCode.ReferenceAssembly, entry.Id, main,
                "The file is a reference assembly: it has metadata but no code to run.",
                "Copy the plugin's build output from bin/ (or its publish output), not from obj/ref or a ref/ folder of a package.")];
            return;
        }
        if (facts.Name.Name is string name && host.SharedNames.Contains(name, StringComparer.OrdinalIgnoreCase))
        {
            // Loaded as itself it would be a second copy of an assembly whose types must have one identity.
            entry.Problems = [new PluginException(PluginErrorCode.PluginNamedLikeSharedAssembly, entry.Id, main,
                $"The plugin's main assembly is named '{name}', like an assembly the host shares with every plugin (the host API, Plugboard's contracts or their dependencies).",
                "Give the plugin project its own assembly name (AssemblyName in the .csproj).")];
            return;
        }
        _mainFiles[facts.Name.Name + "/" + facts.Name.Version] = main;
        var check = new CompatibilityCheck(host, entry.Id, snapshot, facts, entry.Dependencies.Count > 0 ? providedByPlugins?.Invoke(entry.Build()) : null,
            (assembly, version) => _mainFiles.GetValueOrDefault(assembly + "/" + version)).Run(entry.Manifest?.EntryTypes ?? []);
        entry.References = check.References;
        entry.EntryTypes = check.EntryTypes;
        entry.Problems = check.Problems;
        entry.Warnings = check.Warnings;
    }

    private static string? FindMainAssembly(EntryDraft entry, Trust.PluginSnapshot snapshot)
    {
        string folderName = Path.GetFileName(entry.Directory);
        if (entry.Manifest?.Assembly is string declared)
        {
            string path = Path.Combine(entry.Directory, declared);
            if (snapshot.Find(declared) is not null)
            {
                return path;
            }
            entry.Problems = [new PluginException(PluginErrorCode.AssemblyNotFound, entry.Id, path,
                $"plugin.json names the assembly '{declared}', which is not in the plugin folder.",
                "Build the plugin into this folder, or correct 'assembly' in plugin.json.")];
            return null;
        }
        string conventional = Path.Combine(entry.Directory, folderName + ".dll");
        if (snapshot.Find(folderName + ".dll") is not null)
        {
            return conventional;
        }
        // Build output names its deps.json after the main assembly; use it when the folder is named otherwise.
        string[] deps = [.. snapshot.Files.Keys.Where(f => !f.Contains('/', StringComparison.Ordinal) && f.EndsWith(".deps.json", StringComparison.OrdinalIgnoreCase))];
        if (deps.Length == 1)
        {
            string candidate = deps[0][..^".deps.json".Length] + ".dll";
            if (snapshot.Find(candidate) is not null)
            {
                return Path.Combine(entry.Directory, candidate);
            }
        }
        entry.Problems = [new PluginException(PluginErrorCode.AssemblyNotFound, entry.Id, conventional,
            $"The plugin folder has no main assembly: expected {folderName}.dll (the folder's name), a single *.deps.json naming it, or 'assembly' in plugin.json.",
            $"Build or publish the plugin into this folder, name the folder after its assembly, or add plugin.json with \"assembly\": \"<file>.dll\".")];
        return null;
    }

    private static void InspectNative(EntryDraft entry, Trust.PluginSnapshot snapshot)
    {
        NativeManifestSection native = entry.Manifest!.Native!;
        string rid = System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier;
        string? file = native.Libraries.GetValueOrDefault(rid) ?? native.Libraries.GetValueOrDefault(PortableRid());
        if (file is null)
        {
            entry.Problems = [new PluginException(PluginErrorCode.NativeLibraryMissingForRuntime, entry.Id, Path.Combine(entry.Directory, PluginManifest.FileName),
                $"The manifest names no library for this runtime ({PortableRid()}); it has: {(native.Libraries.Count == 0 ? "none" : string.Join(", ", native.Libraries.Keys))}.",
                $"Build the plugin for {PortableRid()} and add it to 'native.libraries' in plugin.json.")];
            return;
        }
        string path = Path.Combine(entry.Directory, file);
        entry.MainFile = path;
        if (snapshot.Find(Path.GetRelativePath(entry.Directory, Path.GetFullPath(path))) is null)
        {
            entry.Problems = [new PluginException(PluginErrorCode.NativeLibraryMissingForRuntime, entry.Id, path,
                $"The manifest names '{file}' for {PortableRid()}, but the file is not in the plugin folder.",
                "Build the native library into the plugin folder, or correct 'native.libraries' in plugin.json.")];
        }
    }

    /// <summary>The portable runtime identifier (e.g. <c>linux-x64</c>) that manifests use.</summary>
    internal static string PortableRid()
    {
        string os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : OperatingSystem.IsLinux() ? "linux" : "unknown";
        return os + "-" + System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
    }

    private static NuGetVersion? VersionOf(AssemblyFacts facts)
    {
        if (facts.InformationalVersion is string informational)
        {
            int plus = informational.IndexOf('+', StringComparison.Ordinal);
            if (NuGetVersion.TryParse(plus < 0 ? informational : informational[..plus], out NuGetVersion? version))
            {
                return version;
            }
        }
        return facts.Name.Version is Version v ? new NuGetVersion(v) : null;
    }

    private void MarkDuplicates(List<PluginCatalogEntry> entries)
    {
        Dictionary<string, List<string>> duplicates = DuplicatePluginIds.Find(entries.Select(e => (e.Directory, (string?)e.Id)));
        for (int i = 0; i < entries.Count; i++)
        {
            if (duplicates.TryGetValue(entries[i].Id, out List<string>? folders))
            {
                entries[i] = Replace(entries[i], entries[i].WithProblems([.. entries[i].Problems, DuplicatePluginIds.Error(entries[i].Id, entries[i].Directory, folders)]));
            }
        }
    }

    /// <summary>Hands over the snapshot kept for <paramref name="entry"/>, once (null when none is kept or it was already taken).</summary>
    private Trust.PluginSnapshot? Take(PluginCatalogEntry entry)
    {
        lock (_kept)
        {
            return _kept.TryGetValue(entry, out Trust.PluginSnapshot? snapshot) && _kept.Remove(entry) ? snapshot : null;
        }
    }

    /// <summary><paramref name="replacement"/> takes <paramref name="entry"/>'s place, and its kept snapshot.</summary>
    private PluginCatalogEntry Replace(PluginCatalogEntry entry, PluginCatalogEntry replacement)
    {
        if (Take(entry) is Trust.PluginSnapshot snapshot)
        {
            _kept.AddOrUpdate(replacement, snapshot);
        }
        return replacement;
    }
}
