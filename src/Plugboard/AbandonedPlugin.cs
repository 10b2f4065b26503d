namespace Plugboard;

/// <summary>
/// A plugin version Plugboard had to give up on: its <c>InitializeAsync</c>, <c>StartAsync</c> or <c>StopAsync</c> hook did not finish in
/// time, so its load context was unloaded with the hook still running, and it stays in memory until that code ends.
/// Listed by <see cref="PluginHost{TContract}.AbandonedPlugins"/> while its context is alive.
/// </summary>
/// <param name="PluginId">The plugin.</param>
/// <param name="Hook">The hook that timed out: <c>InitializeAsync</c>, <c>StartAsync</c> or <c>StopAsync</c>.</param>
/// <param name="Error">The timeout error (<see cref="PluginErrorCode.InitializationTimedOut"/> or <see cref="PluginErrorCode.StopTimedOut"/>).</param>
public sealed record AbandonedPlugin(string PluginId, string Hook, PluginException Error);
