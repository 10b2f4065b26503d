namespace Plugboard;

/// <summary>
/// A plugin version Plugboard had to give up on: its <c>InitializeAsync</c>, <c>StartAsync</c> or <c>StopAsync</c> hook did not finish in
/// time (or its load was cancelled during a <c>StartAsync</c> that ignored the cancellation), so its load context was
/// unloaded with the hook still running, and it stays in memory until that code ends.
/// Listed by <see cref="PluginHost{TContract}.AbandonedPlugins"/> while its context is alive.
/// </summary>
/// <param name="pluginId">The plugin.</param>
/// <param name="hook">The hook that timed out: <c>InitializeAsync</c>, <c>StartAsync</c> or <c>StopAsync</c>.</param>
/// <param name="error">The timeout error (<see cref="PluginErrorCode.InitializationTimedOut"/> or <see cref="PluginErrorCode.StopTimedOut"/>), or <see cref="PluginErrorCode.LoadCanceled"/>.</param>
public sealed class AbandonedPlugin(string pluginId, string hook, PluginException error)
{
    /// <summary>The plugin.</summary>
    public string PluginId { get; } = pluginId;

    /// <summary>The hook that timed out: <c>InitializeAsync</c>, <c>StartAsync</c> or <c>StopAsync</c>.</summary>
    public string Hook { get; } = hook;

    /// <summary>The timeout error (<see cref="PluginErrorCode.InitializationTimedOut"/> or <see cref="PluginErrorCode.StopTimedOut"/>), or <see cref="PluginErrorCode.LoadCanceled"/>.</summary>
    public PluginException Error { get; } = error;

    /// <inheritdoc />
    public override string ToString() => $"{PluginId}: {Hook} did not finish ({Error.CodeText})";
}
