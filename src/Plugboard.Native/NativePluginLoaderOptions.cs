namespace Plugboard.Native;

/// <summary>How <see cref="NativePluginLoader"/> loads native plugins.</summary>
public sealed class NativePluginLoaderOptions
{
    /// <summary>
    /// Copy each library to a unique file name before opening it, so loading a rebuilt library from the same path
    /// gets the new code (the loader returns the already-mapped image for a path it has seen). Off by default.
    /// The old image stays mapped unless its plugin declared itself unloadable. On Linux and macOS the copy is deleted right
    /// after it is opened (the mapping keeps it alive), so copies do not pile up.
    /// </summary>
    public bool CopyOnLoad { get; set; }

    /// <summary>Where <see cref="CopyOnLoad"/> puts copies; defaults to a <c>plugboard-native</c> folder under the temp folder.</summary>
    public string? ShadowCopyDirectory { get; set; }

    /// <summary>Receives the plugins' log lines (prefixed with the plugin id); null drops them.</summary>
    public IPluginLog? Log { get; set; }

    /// <summary>The host interfaces plugins can look up by versioned id.</summary>
    public NativeHostInterfaces Interfaces { get; } = new();

    /// <summary>
    /// Whether to close the library of a plugin that declares <see cref="NativePluginFlags.Unloadable"/> when it is
    /// disposed. Libraries that do not declare it are never closed.
    /// </summary>
    public bool UnloadWhenAllowed { get; set; } = true;

    /// <summary>The runtime identifier used to pick a library from the manifest; defaults to the current one (e.g. <c>linux-x64</c>).</summary>
    public string? RuntimeIdentifier { get; set; }
}
