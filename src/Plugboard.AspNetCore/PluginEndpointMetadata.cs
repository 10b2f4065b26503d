namespace Plugboard.AspNetCore;

/// <summary>Endpoint metadata on every endpoint a plugin mapped: which plugin and version serves it (for middleware, logging, status pages).</summary>
/// <param name="pluginId">The plugin id.</param>
/// <param name="version">The version that mapped the endpoint.</param>
public sealed class PluginEndpointMetadata(string pluginId, string? version)
{
    /// <summary>The plugin id.</summary>
    public string PluginId { get; } = pluginId;

    /// <summary>The version that mapped the endpoint.</summary>
    public string? Version { get; } = version;

    /// <inheritdoc />
    public override string ToString() => $"{PluginId} {Version}";
}
