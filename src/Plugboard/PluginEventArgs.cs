namespace Plugboard;

/// <summary>What a <see cref="PluginHost{TContract}"/> event reports: the plugin, its versions, and the error or unload report that goes with it.</summary>
public sealed class PluginEventArgs : EventArgs
{
    internal PluginEventArgs(string pluginId, string? version, string? previousVersion = null, PluginException? error = null, UnloadReport? unload = null, TimeSpan elapsed = default)
    {
        PluginId = pluginId;
        Version = version;
        PreviousVersion = previousVersion;
        Error = error;
        Unload = unload;
        Elapsed = elapsed;
    }

    /// <summary>The plugin concerned.</summary>
    public string PluginId { get; }

    /// <summary>The version loaded (or, for a failed reload, the one that keeps serving).</summary>
    public string? Version { get; }

    /// <summary>For a reload: the version replaced.</summary>
    public string? PreviousVersion { get; }

    /// <summary>For a failed reload: why.</summary>
    public PluginException? Error { get; }

    /// <summary>For an unload or a reload: the retired version's unload report.</summary>
    public UnloadReport? Unload { get; }

    /// <summary>How long the operation took.</summary>
    public TimeSpan Elapsed { get; }
}
