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
}
