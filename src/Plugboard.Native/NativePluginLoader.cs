using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Plugboard.Metadata;
using Plugboard.Native.Internal;

namespace Plugboard.Native;

/// <summary>
/// Loads native plugins: reads the sidecar manifest, checks it, opens the library for this runtime identifier,
/// calls <c>plugboard_entry_v1</c>, validates the descriptor and runs init. Every failure is a
/// <see cref="PluginException"/> with a 4xx code that names the plugin, the file, the cause and the fix.
/// </summary>
public sealed unsafe class NativePluginLoader
{
    /// <summary>Creates a loader.</summary>
    /// <param name="options">Options; defaults when null.</param>
    public NativePluginLoader(NativePluginLoaderOptions? options = null)
    {
        Options = options ?? new NativePluginLoaderOptions();
    }

    /// <summary>The options the loader uses; register host interfaces here before loading.</summary>
    public NativePluginLoaderOptions Options { get; }

    /// <summary>The runtime identifier of this process as manifests spell it: <c>linux-x64</c>, <c>osx-arm64</c>, <c>win-x64</c>.</summary>
    public static string CurrentRuntimeIdentifier
    {
        get
        {
            string os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : OperatingSystem.IsFreeBSD() ? "freebsd" : "linux";
            return os + "-" + RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        }
    }

    /// <summary>
    /// The <c>kind</c> a plugin folder's manifest declares ("native", "managed", ...), without opening anything, so a
    /// host can route each folder to the right loader. A manifest without "kind" is "managed".
    /// </summary>
    /// <param name="pluginDirectory">The plugin's folder.</param>
    /// <returns>The kind, or null when the folder has no readable, valid manifest (loading it reports why).</returns>
    public static string? ReadPluginKind(string pluginDirectory)
    {
        try
        {
            return NativeManifestReader.Read(pluginDirectory).Kind;
        }
        catch (PluginException)
        {
            return null;
        }
    }

    /// <summary>
    /// Loads every native plugin folder under a root, in name order: each subfolder with a <c>plugin.json</c> whose kind
    /// is "native" or that cannot be read (so its error is reported). Folders of other kinds are left to their loaders.
    /// </summary>
    /// <param name="pluginsRoot">A folder of plugin folders, e.g. <c>artifacts/samples/plugins</c>.</param>
    /// <param name="failures">The plugins that failed, each with its typed error; loading goes on after a failure.</param>
    /// <returns>The plugins that loaded.</returns>
    public IReadOnlyList<NativePlugin> LoadAll(string pluginsRoot, out IReadOnlyList<PluginException> failures)
    {
        if (!Directory.Exists(pluginsRoot))
        {
            throw new PluginException(PluginErrorCode.DirectoryNotFound, Path.GetFileName(pluginsRoot), pluginsRoot,
                "The plugins folder does not exist.", "Build the sample plugins or point the host at an existing folder.");
        }
        var folders = new List<string>();
        foreach (string directory in Directory.GetDirectories(pluginsRoot).Order(StringComparer.Ordinal))
        {
            if (File.Exists(Path.Combine(directory, NativeManifestReader.FileName)) && TryReadManifest(directory) is not { Kind: not "native" })
            {
                folders.Add(directory);
            }
        }
        return LoadAll(folders, out failures);
    }

    /// <summary>
    /// Loads the given native plugin folders, in the order given. Folders that declare the same id are all refused
    /// (PB0105), as the catalog refuses them for managed plugins; failures are collected and the rest load. Each
    /// library is opened in turn, then every plugin's entry and init run at once, each on its own call thread: a plugin
    /// whose init hangs costs the load <see cref="NativePluginLoaderOptions.InitTimeout"/> once (PB0413), however many
    /// plugins follow it. (With an infinite InitTimeout they run one after another on this thread.)
    /// </summary>
    /// <param name="pluginDirectories">Folders, each with a native plugin.json and its library.</param>
    /// <param name="failures">The plugins that failed, each with its typed error.</param>
    /// <returns>The plugins that loaded.</returns>
    public IReadOnlyList<NativePlugin> LoadAll(IEnumerable<string> pluginDirectories, out IReadOnlyList<PluginException> failures)
    {
        ArgumentNullException.ThrowIfNull(pluginDirectories);
        var candidates = pluginDirectories.Select(directory => (Directory: directory, TryReadManifest(directory)?.Id)).ToList();
        // The catalog's rule, here too: two folders with one id are both refused (PB0105).
        Dictionary<string, List<string>> duplicates = DuplicatePluginIds.Find(candidates);
        // First open every library and start its init; then collect them, in the order given.
        var starts = new List<(Starting? Started, PluginException? Error)>(candidates.Count);
        foreach ((string directory, string? id) in candidates)
        {
            if (id is not null && duplicates.TryGetValue(id, out List<string>? folders))
            {
                starts.Add((null, DuplicatePluginIds.Error(id, directory, folders)));
                continue;
            }
            try
            {
                starts.Add((BeginLoad(directory), null));
            }
            catch (PluginException e)
            {
                starts.Add((null, e));
            }
        }
        var loaded = new List<NativePlugin>();
        var errors = new List<PluginException>();
        foreach ((Starting? started, PluginException? error) in starts)
        {
            try
            {
                loaded.Add(started?.Finish() ?? throw error!);
            }
            catch (PluginException e)
            {
                errors.Add(e);
            }
        }
        failures = errors;
        return loaded;
    }

    /// <summary>Loads the native plugin in a folder and initializes it.</summary>
    /// <param name="pluginDirectory">The folder holding <c>plugin.json</c> and the library.</param>
    /// <returns>The initialized plugin; dispose it to shut it down.</returns>
    /// <exception cref="PluginException">The plugin cannot be loaded; <see cref="PluginException.Code"/> says why.</exception>
    public NativePlugin Load(string pluginDirectory) => BeginLoad(pluginDirectory).Finish();

    private Starting BeginLoad(string pluginDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(pluginDirectory);
        pluginDirectory = Path.GetFullPath(pluginDirectory);
        return BeginLoad(pluginDirectory, NativeManifestReader.Read(pluginDirectory), pluginDirectory);
    }

    /// <summary>
    /// Loads a native plugin whose files the host has already read, checked against its trust policy and written to
    /// a private copy: the library opened is the copy of those vetted bytes, never the plugin folder's file (which
    /// may have been replaced since). Errors and <see cref="NativePlugin.LibraryPath"/> name the plugin folder.
    /// </summary>
    /// <param name="pluginDirectory">The plugin's folder, as the user knows it.</param>
    /// <param name="manifest">Its manifest, parsed from the vetted bytes.</param>
    /// <param name="vettedCopy">The private folder holding the vetted bytes of the plugin's files.</param>
    /// <returns>
    /// The plugin once its init returned. The library is open (and its entry and init started) when this returns: the
    /// task then only waits for init, holding no thread, so a host can start the next plugin meanwhile.
    /// </returns>
    /// <exception cref="PluginException">Thrown here when the library cannot be opened; from the task when entry or init fails or times out.</exception>
    internal Task<NativePlugin> LoadVettedAsync(string pluginDirectory, PluginManifest? manifest, string vettedCopy)
    {
        pluginDirectory = Path.GetFullPath(pluginDirectory);
        string folderName = Path.GetFileName(Path.TrimEndingDirectorySeparator(pluginDirectory));
        return BeginLoad(pluginDirectory, NativeManifestReader.From(manifest, folderName, Path.Combine(pluginDirectory, NativeManifestReader.FileName)), Path.GetFullPath(vettedCopy)).FinishAsync();
    }

    /// <summary>
    /// Opens the library from <paramref name="readDirectory"/> (the plugin folder, or the private copy of its vetted
    /// bytes), naming <paramref name="pluginDirectory"/>, and starts its entry and init; <see cref="Starting.Finish"/> waits for them.
    /// </summary>
    private Starting BeginLoad(string pluginDirectory, NativeManifest manifest, string readDirectory)
    {
        string id = manifest.Id;
        if (manifest.Kind != "native")
        {
            if (!RuntimeFeature.IsDynamicCodeSupported)
            {
                throw new PluginException(PluginErrorCode.ManagedPluginInNativeAotHost, id, manifest.ManifestPath,
                    $"The plugin is a {manifest.Kind} (.NET) plugin, and this host was published with NativeAOT: it has no JIT and no assembly loader, so it cannot run .NET plugin assemblies.",
                    "Load this plugin from the regular (JIT) host, or rebuild the plugin as a native plugin (C, Rust or NativeAOT C# with Plugboard.Native.Aot).");
            }
            throw new PluginException(PluginErrorCode.NativeManifestInvalid, id, manifest.ManifestPath,
                $"The manifest says kind \"{manifest.Kind}\", not \"native\".",
                "Load managed plugins with the managed loader, or set \"kind\": \"native\" for a native library.");
        }
        if (manifest.AbiMajor != (int)AbiConstants.AbiMajor)
        {
            throw new PluginException(PluginErrorCode.NativeAbiVersionUnsupported, id, manifest.ManifestPath,
                $"The manifest declares ABI major {manifest.AbiMajor}; this host speaks ABI major {AbiConstants.AbiMajor} only. The library was not opened.",
                manifest.AbiMajor > AbiConstants.AbiMajor
                    ? "Update the host to a version that speaks this ABI, or use a plugin build for ABI 1."
                    : "Rebuild the plugin against plugboard.h of ABI 1.");
        }
        // Before the library is opened: opening it already runs its static initializers.
        Loading.InterfaceLayoutCheck.ThrowIfMismatched(manifest, Options.Interfaces);
        string rid = Options.RuntimeIdentifier ?? CurrentRuntimeIdentifier;
        if (!manifest.Libraries.TryGetValue(rid, out string? fileName))
        {
            throw new PluginException(PluginErrorCode.NativeLibraryMissingForRuntime, id, manifest.ManifestPath,
                $"The manifest names no library for runtime '{rid}' (it has: {string.Join(", ", manifest.Libraries.Keys)}).",
                $"Build the plugin for {rid} and add \"{rid}\": \"<file>\" to \"native.libraries\".");
        }
        string libraryPath = Path.GetFullPath(Path.Combine(pluginDirectory, fileName));
        if (PathContainment.LeavesFolder(fileName) || !PathContainment.IsUnder(libraryPath, pluginDirectory))
        {
            throw new PluginException(PluginErrorCode.PathEscapesPluginDirectory, id, libraryPath,
                $"The library '{fileName}' for {rid} lies outside the plugin folder.", "Name a file inside the plugin's folder.");
        }
        string readPath = Path.GetFullPath(Path.Combine(readDirectory, fileName));
        // The file and every folder on the way, with symbolic links resolved: a link (to the library, or to a
        // sub-folder holding it) that leads outside the plugin folder would load code nobody checked.
        string realLibrary = RealPath.Resolve(readPath);
        if (!PathContainment.IsReallyUnder(realLibrary, readDirectory))
        {
            throw new PluginException(PluginErrorCode.PathEscapesPluginDirectory, id, libraryPath,
                $"The library '{fileName}' for {rid} resolves through a symbolic link to '{realLibrary}' outside the plugin folder.",
                "Copy the library into the plugin's folder instead of linking to it.");
        }
        if (!File.Exists(readPath))
        {
            throw new PluginException(PluginErrorCode.NativeLibraryMissingForRuntime, id, libraryPath,
                $"The manifest names '{fileName}' for runtime '{rid}', but the file does not exist.",
                "Build the plugin for this runtime and copy the library next to plugin.json.");
        }
        // A vetted copy is already this load's own file (its own image, nothing to lock in the plugin folder).
        bool shadow = Options.CopyOnLoad && readDirectory == pluginDirectory;
        string openPath = shadow ? ShadowCopy(id, readPath) : readPath;
        if (!SharedLibrary.TryOpen(openPath, out SharedLibrary? library, out IReadOnlyList<string> loaderMessages))
        {
            if (shadow)
            {
                TryDelete(openPath);
            }
            throw new PluginException(PluginErrorCode.NativeLibraryLoadFailed, id, libraryPath,
                $"The operating system loader refused the library: {string.Join(" | ", loaderMessages)}",
                "Check that the file is a shared library built for " + rid + " and that its own dependencies are installed (ldd/otool -L/dumpbin /dependents).");
        }
        if (shadow && !OperatingSystem.IsWindows())
        {
            // The mapping keeps the copy's inode alive; unlinking it now leaves no litter in the shadow folder.
            TryDelete(openPath);
        }
        if (!library.TryGetSymbol(AbiConstants.EntryV1, out SharedLibrarySymbol? entry, out string? entryError))
        {
            string other = DescribeOtherEntries(library);
            throw new PluginException(PluginErrorCode.NativeEntryPointMissing, id, libraryPath,
                $"The library does not export '{AbiConstants.EntryV1}' ({entryError}).{other}",
                "Export 'const pb_plugin *plugboard_entry_v1(const pb_host *)' with default visibility (PLUGBOARD_EXPORT in C, #[unsafe(no_mangle)] extern \"C\" in Rust, [UnmanagedCallersOnly(EntryPoint = ...)] in NativeAOT C#).");
        }
        if (!LiveImages.TryClaim(library.Handle, id, out string owner))
        {
            entry.Dispose();
            library.TryClose(); // only drops this open's reference; the image stays mapped for its owner
            throw new PluginException(PluginErrorCode.NativeLibraryLoadFailed, id, libraryPath,
                $"The library is already loaded in this process by plugin '{owner}', and the loader hands back that same image: a second instance would share (and overwrite) its global state.",
                "Dispose the other instance first, or set NativePluginLoaderOptions.CopyOnLoad so each load gets its own copy of the library.");
        }
        try
        {
            return new Starting(NativePlugin.BeginStart(manifest, libraryPath, library, entry, Options), library);
        }
        catch
        {
            LiveImages.Release(library.Handle);
            throw;
        }
    }

    /// <summary>A plugin whose library is open and whose entry and init were started.</summary>
    private sealed class Starting(NativePlugin.Starting start, SharedLibrary library)
    {
        public NativePlugin Finish()
        {
            try
            {
                return start.Finish();
            }
            catch (Exception e)
            {
                // An init that timed out may still be running in the image: keep it claimed so no other load shares it.
                if (e is not PluginException { Code: PluginErrorCode.NativeInitTimedOut })
                {
                    LiveImages.Release(library.Handle);
                }
                throw;
            }
        }

        /// <summary>
        /// As <see cref="Finish"/>, holding no thread while init runs on its call thread (so a host can wait for many
        /// at once); inline when init runs inline (an infinite InitTimeout).
        /// </summary>
        public Task<NativePlugin> FinishAsync()
        {
            Task settled = start.Settled;
            return settled.IsCompleted ? Task.FromResult(Finish())
                : settled.ContinueWith(_ => Finish(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }
    }

    private static NativeManifest? TryReadManifest(string directory)
    {
        try
        {
            return NativeManifestReader.Read(directory);
        }
        catch (PluginException)
        {
            return null; // Load reports it.
        }
    }

    private static string DescribeOtherEntries(SharedLibrary library)
    {
        for (int major = 2; major <= 9; major++)
        {
            if (library.TryGetSymbol("plugboard_entry_v" + major, out SharedLibrarySymbol? newer, out _))
            {
                newer.Dispose();
                return $" It exports plugboard_entry_v{major}: it was built for ABI major {major}, newer than this host's {AbiConstants.AbiMajor}.";
            }
        }
        return string.Empty;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: a leftover copy is harmless.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }

    private string ShadowCopy(string id, string libraryPath)
    {
        string directory = Options.ShadowCopyDirectory ?? Path.Combine(Path.GetTempPath(), "plugboard-native");
        Directory.CreateDirectory(directory);
        // Keep the original file name's extension last so per-OS naming rules still see a library suffix.
        string target = Path.Combine(directory, $"{Guid.NewGuid():N}-{Path.GetFileName(libraryPath)}");
        try
        {
            File.Copy(libraryPath, target);
        }
        catch (IOException e)
        {
            throw new PluginException(PluginErrorCode.NativeLibraryLoadFailed, id, libraryPath,
                $"Copy-on-load could not copy the library to '{target}': {e.Message}", "Make the shadow copy folder writable or turn CopyOnLoad off.", e);
        }
        return target;
    }
}
