namespace Plugboard.AspNetCore.Internal;

/// <summary>
/// Says when a plugin version is released: after its calls in flight drained and its stop hooks ran, right before
/// its load context unloads and the collector is asked whether it went. That is the last moment the host may drop
/// what it holds of the version (its endpoints) and still see it collected in the same unload report.
/// </summary>
internal sealed class VersionReleases
{
    private Action<string, IReadOnlyCollection<object>>? _released;

    /// <summary>Called with the plugin id and the version's entry instances.</summary>
    public void OnReleased(Action<string, IReadOnlyCollection<object>> released) => _released += released;

    public void Raise(string pluginId, IReadOnlyCollection<object> instances) => _released?.Invoke(pluginId, instances);
}
