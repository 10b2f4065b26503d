namespace Plugboard;

/// <summary>
/// Optional hooks an entry type implements to take part in its plugin's lifetime.
/// Every method has an empty default, so a plugin overrides only what it needs.
/// </summary>
/// <remarks>
/// Order: constructor, <see cref="InitializeAsync"/>, <see cref="StartAsync"/>, calls, <see cref="StopAsync"/>.
/// Plugboard calls the hooks of one plugin from one thread at a time. An exception from a hook marks the
/// plugin failed with a typed error; it never escapes into the host.
/// </remarks>
public interface IPluginLifecycle
{
    /// <summary>Prepares the plugin. It receives the host's services and its own settings through <paramref name="context"/>.</summary>
    /// <param name="context">Valid until the plugin is unloaded; keep it if you need it later.</param>
    /// <param name="cancellationToken">Signalled when the host's initialization timeout expires.</param>
    /// <returns>A task that completes when the plugin is ready.</returns>
    Task InitializeAsync(IPluginContext context, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Starts background work, after every plugin of the set has initialized.</summary>
    /// <param name="cancellationToken">Signalled when the host gives up waiting.</param>
    /// <returns>A task that completes when the plugin has started.</returns>
    Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Stops background work and lets go of everything the plugin attached to the host, so its context can be collected.</summary>
    /// <param name="cancellationToken">Signalled when the host's stop timeout expires.</param>
    /// <returns>A task that completes when the plugin has stopped.</returns>
    Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
