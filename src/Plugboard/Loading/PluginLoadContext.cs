using System.Reflection;
using System.Runtime.Loader;
using Plugboard.Compatibility;
using Plugboard.Metadata;
using Plugboard.Trust;

namespace Plugboard.Loading;

/// <summary>
/// One plugin's collectible load context. Shared assemblies (the host API, Plugboard's contracts and their
/// closure) resolve to the host's copy, so types have one identity; everything else resolves privately through the
/// plugin's deps.json, but from the plugin's snapshot (<see cref="PluginSnapshot"/>), never from its folder: the
/// snapshot's bytes, the ones hashed against the lock file and inspected, are written to a private copy only this
/// process's user can reach (a fresh 0700 temporary folder), the resolver runs on that copy, assemblies are read
/// from it into memory and native libraries load from it. Files changed, added or swapped in the plugin folder
/// after the snapshot are never seen, and the folder stays free to be rebuilt while the plugin runs.
/// </summary>
internal sealed class PluginLoadContext : AssemblyLoadContext
{
    private readonly HostApi _host;
    private readonly IReadOnlyDictionary<string, Assembly> _fromOtherPlugins;
    private readonly string _pluginId;
    private readonly PluginSnapshot _snapshot;
    private readonly string _mainRelative;
    private readonly HashSet<string> _assemblyFiles;
    private readonly Lock _copyGate = new();
    private (string Folder, AssemblyDependencyResolver Resolver)? _copy;

    public PluginLoadContext(string pluginId, PluginSnapshot snapshot, string mainAssemblyPath, HostApi host, IReadOnlyDictionary<string, Assembly>? fromOtherPlugins = null)
        : base($"Plugboard:{pluginId}", isCollectible: true)
    {
        _host = host;
        _pluginId = pluginId;
        _snapshot = snapshot;
        _fromOtherPlugins = fromOtherPlugins ?? new Dictionary<string, Assembly>();
        MainAssemblyPath = mainAssemblyPath;
        _mainRelative = Path.GetRelativePath(snapshot.Directory, mainAssemblyPath).Replace('\\', '/');
        _assemblyFiles = new HashSet<string>(snapshot.Files.Keys.Where(f => f.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".exe", StringComparison.OrdinalIgnoreCase))
            .Select(Path.GetFileNameWithoutExtension).OfType<string>(), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The main assembly in the plugin folder (for messages; the bytes come from the snapshot).</summary>
    public string MainAssemblyPath { get; }

    /// <summary>Loads the main assembly straight from the snapshot's bytes (and its pdb's).</summary>
    public Assembly LoadMain()
    {
        if (_copy is { } copy)
        {
            return LoadFromCopy(Path.Combine(copy.Folder, _mainRelative));
        }
        using MemoryStream image = Readable(_snapshot.Find(_mainRelative)!.Bytes);
        if (_snapshot.Find(Path.ChangeExtension(_mainRelative, ".pdb")) is SnapshotFile pdb)
        {
            using MemoryStream symbols = Readable(pdb.Bytes);
            return LoadFromStream(image, symbols);
        }
        return LoadFromStream(image);
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        string? name = assemblyName.Name;
        if (name is null)
        {
            return null;
        }
        // The compatibility check reported the plugin's references by the same rule.
        switch (ResolutionRule.Decide(_host, name, _fromOtherPlugins.ContainsKey, shared => _host.IsKeptPrivate(MainAssemblyPath, shared), InSnapshot))
        {
            case ResolutionStep.HostApi or ResolutionStep.Shared when _host.SharedAssembly(name) is Assembly shared:
                return shared;
            case ResolutionStep.OtherPlugin:
                return _fromOtherPlugins[name];
            case ResolutionStep.PrivateFramework:
                // A framework assembly with global caches keyed by type: a private copy's caches die with the plugin.
                return LoadFromAssemblyPath(_host.PrivateFrameworkAssemblyPath(name)!);
            case ResolutionStep.Default:
                // Only a file of the snapshot can ever load here: a name with no such file (the shared framework,
                // mostly) falls back to the default context without writing the private copy the resolver needs.
                return null;
        }
        string? path = Resolver().ResolveAssemblyToPath(assemblyName);
        // Null lets the runtime fall back to the default context: the shared framework.
        return path is null ? null : LoadFromCopy(path);
    }

    private bool InSnapshot(string name) => _assemblyFiles.Contains(name) || _assemblyFiles.Contains(name + ".resources");

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        string? path = Resolver().ResolveUnmanagedDllToPath(unmanagedDllName);
        if (path is null)
        {
            return IntPtr.Zero;
        }
        // The private copy is loaded in place: nobody else can write it, and a rebuild of the folder cannot touch it.
        return LoadUnmanagedDllFromPath(InsideCopy(path));
    }

    /// <summary>Removes the private copy; best effort, native libraries may still be mapped.</summary>
    public void DeleteShadowCopies()
    {
        lock (_copyGate)
        {
            if (_copy is { } copy)
            {
                PrivateCopy.Delete(copy.Folder);
            }
        }
    }

    /// <summary>
    /// The runtime's resolver over the private copy, both made on first need: a plugin with no private
    /// dependency, satellite or native library never writes one.
    /// </summary>
    private AssemblyDependencyResolver Resolver()
    {
        lock (_copyGate)
        {
            if (_copy is { } copy)
            {
                return copy.Resolver;
            }
            string folder = PrivateCopy.Write(_snapshot, _pluginId);
            try
            {
                var resolver = new AssemblyDependencyResolver(Path.Combine(folder, _mainRelative));
                _copy = (folder, resolver);
                return resolver;
            }
            catch (InvalidOperationException ex)
            {
                PrivateCopy.Delete(folder);
                throw new PluginException(PluginErrorCode.LoadFailed, _pluginId, MainAssemblyPath,
                    $"The runtime cannot resolve the plugin's dependencies from its deps.json: {ex.Message}",
                    "Rebuild the plugin; its deps.json must name files that are in its folder.", ex);
            }
        }
    }

    private Assembly LoadFromCopy(string path)
    {
        string file = InsideCopy(path);
        // Read fully and load from memory: the runtime keeps no handle on the file.
        using MemoryStream image = Readable(File.ReadAllBytes(file));
        string pdb = Path.ChangeExtension(file, ".pdb");
        if (File.Exists(pdb))
        {
            using MemoryStream symbols = Readable(File.ReadAllBytes(pdb));
            return LoadFromStream(image, symbols);
        }
        return LoadFromStream(image);
    }

    // LoadFromStream takes a MemoryStream's buffer as it is when the stream may give it out (publiclyVisible), and
    // copies the whole image into a new array otherwise: the snapshot's bytes are read-only to everyone either way.
    private static MemoryStream Readable(byte[] bytes) => new(bytes, 0, bytes.Length, writable: false, publiclyVisible: true);

    /// <summary>A path the resolver produced must lie in the private copy: anything else was never vetted.</summary>
    private string InsideCopy(string path)
    {
        if (_copy is not { } copy || !PathContainment.IsUnder(path, copy.Folder) || !File.Exists(path))
        {
            throw new PluginException(PluginErrorCode.FileOutsideSnapshot, _pluginId, path,
                $"The runtime asked the plugin's context to load '{path}', which is not a file of the plugin's vetted snapshot.",
                "Rebuild the plugin so its deps.json names only files in its own folder, and load it again.");
        }
        return path;
    }
}
