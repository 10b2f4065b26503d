namespace Plugboard;

/// <summary>
/// What the host gives a plugin: its identity, a log, its settings and the host's services.
/// </summary>
/// <remarks>Safe to use from any thread. Valid until the plugin is unloaded.</remarks>
public interface IPluginContext : IServiceProvider
{
    /// <summary>The plugin's id, as the host's catalog knows it.</summary>
    string PluginId { get; }

    /// <summary>The plugin's version, from its manifest or assembly.</summary>
    string PluginVersion { get; }

    /// <summary>The folder the plugin was discovered in (read-only by convention: it may be rebuilt while the host runs).</summary>
    string PluginDirectory { get; }

    /// <summary>Where the plugin writes its diagnostics; the host routes them to its own logging.</summary>
    IPluginLog Log { get; }

    /// <summary>The plugin's configuration section, flattened to keys such as <c>Limits:Max</c>. Empty when the host has none.</summary>
    IReadOnlyDictionary<string, string> Settings { get; }
}
