namespace Plugboard.AspNetCore.Dashboard;

/// <summary>The plugins of one contract's host as the dashboard sees and drives them (one per contract, registered by <c>AddWebPlugins()</c>).</summary>
internal interface IPluginBoard
{
    /// <summary>Feeds the host's lifecycle events to <paramref name="activity"/> from now on.</summary>
    void Observe(PluginActivity activity);

    /// <summary>The host's plugins now: the loaded ones and the ones that failed to load.</summary>
    IEnumerable<PluginRow> Rows(PluginActivity activity);

    /// <summary>Reloads a loaded plugin; null when this host has no loaded plugin of that id.</summary>
    Task<ReloadResult>? Reload(string id, CancellationToken cancellationToken);

    /// <summary>Unloads a loaded plugin; null when this host has no loaded plugin of that id.</summary>
    Task<UnloadReport>? Unload(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Loads again, from its folder as it is now, a plugin this host loaded and then unloaded; null when this host has
    /// no unloaded plugin of that id.
    /// </summary>
    /// <returns>The loaded plugin's version, or the typed error of the load (the folder changed, trust refused it, ...).</returns>
    Task<(string? Version, PluginException? Error)>? Load(string id, CancellationToken cancellationToken);

    /// <summary>True when <see cref="Load"/> would try: this host unloaded the plugin and nothing loaded it since.</summary>
    bool CanLoad(string id);
}
