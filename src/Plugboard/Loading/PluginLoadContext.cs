using System.Reflection;
using System.Runtime.Loader;
using Plugboard.Compatibility;

namespace Plugboard.Loading;

/// <summary>
/// One plugin's collectible load context. Shared assemblies (the host API, Plugboard's contracts and their
/// closure) resolve to the host's copy, so types have one identity; everything else resolves privately from the
/// plugin's folder through its deps.json. Assemblies are read into memory and native libraries shadow-copied,
/// so the plugin folder stays free to be rebuilt while the plugin runs.
/// </summary>
internal sealed class PluginLoadContext : AssemblyLoadContext
{
    private readonly HostApi _host;
    private readonly AssemblyDependencyResolver _resolver;
    private readonly IReadOnlyDictionary<string, Assembly> _fromOtherPlugins;
    private readonly string _shadowDirectory;

    public PluginLoadContext(string pluginId, string mainAssemblyPath, HostApi host, IReadOnlyDictionary<string, Assembly>? fromOtherPlugins = null)
        : base($"Plugboard:{pluginId}", isCollectible: true)
    {
        _host = host;
        _resolver = new AssemblyDependencyResolver(mainAssemblyPath);
        _fromOtherPlugins = fromOtherPlugins ?? new Dictionary<string, Assembly>();
        _shadowDirectory = Path.Combine(Path.GetTempPath(), "plugboard-native", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), $"{pluginId}-{Guid.NewGuid():N}");
        MainAssemblyPath = mainAssemblyPath;
    }

    public string MainAssemblyPath { get; }

    public Assembly LoadMain() => LoadFromFile(MainAssemblyPath);

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        string? name = assemblyName.Name;
        if (name is null)
        {
            return null;
        }
        if (_host.SharedAssemblyFor(MainAssemblyPath, name) is Assembly shared)
        {
            return shared;
        }
        if (_fromOtherPlugins.TryGetValue(name, out Assembly? fromPlugin))
        {
            return fromPlugin;
        }
        if (_host.PrivateFrameworkAssemblyPath(name) is string frameworkCopy)
        {
            // A framework assembly with global caches keyed by type: a private copy's caches die with the plugin.
            return LoadFromAssemblyPath(frameworkCopy);
        }
        string? path = _resolver.ResolveAssemblyToPath(assemblyName);
        // Null lets the runtime fall back to the default context: the shared framework.
        return path is null ? null : LoadFromFile(path);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        string? path = _resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
        if (path is null)
        {
            return IntPtr.Zero;
        }
        // Loading the build output in place would let a rebuild overwrite a mapped image under the running process.
        Directory.CreateDirectory(_shadowDirectory);
        string copy = Path.Combine(_shadowDirectory, Path.GetFileName(path));
        if (!File.Exists(copy))
        {
            File.Copy(path, copy);
        }
        return LoadUnmanagedDllFromPath(copy);
    }

    /// <summary>Removes the shadow copies of native libraries; best effort, they may still be mapped.</summary>
    public void DeleteShadowCopies()
    {
        try
        {
            if (Directory.Exists(_shadowDirectory))
            {
                Directory.Delete(_shadowDirectory, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // On Windows a still-mapped library cannot be deleted; the temp folder is per process and disposable.
        }
    }

    private Assembly LoadFromFile(string path)
    {
        // Read fully and load from memory: the runtime keeps no handle on the file.
        using var image = new MemoryStream(File.ReadAllBytes(path), writable: false);
        string pdb = Path.ChangeExtension(path, ".pdb");
        if (File.Exists(pdb))
        {
            using var symbols = new MemoryStream(File.ReadAllBytes(pdb), writable: false);
            return LoadFromStream(image, symbols);
        }
        return LoadFromStream(image);
    }
}
