using System.Reflection;
using Microsoft.Extensions.Logging;

namespace Plugboard.Lifetime;

/// <summary>
/// Unloads plugins: each leaves the host and retires (drain, stop hooks, unload) in the order given, then one
/// collection loop verifies all of them; each gets its report, its log line and its event.
/// </summary>
internal sealed class PluginUnloader<TContract>(PluginHostOptions options, Func<IEnumerable<Assembly>> hostAssemblies, Abandonment abandonment,
    PluginEventSource events, ILogger logger) where TContract : class
{
    /// <param name="plugins">The plugins, dependents before their dependencies.</param>
    /// <param name="forget">Removes a plugin from the host.</param>
    /// <param name="cancellationToken">Only stops waiting for calls in flight; the unload completes.</param>
    /// <returns>One report per plugin, in the order given.</returns>
    /// <exception cref="InvalidOperationException">A plugin was already unloaded.</exception>
    public async Task<IReadOnlyList<UnloadReport>> UnloadAsync<TPlugin>(IReadOnlyList<TPlugin> plugins, Action<TPlugin> forget, CancellationToken cancellationToken)
        where TPlugin : IPluginSlot<TContract>
    {
        var released = new List<GenerationRetirement.Released>();
        foreach (TPlugin plugin in plugins)
        {
            PluginGeneration<TContract>? generation = plugin.Swap(null);
            forget(plugin);
            if (generation is null)
            {
                throw new InvalidOperationException($"Plugin '{plugin.Id}' has already been unloaded.");
            }
            released.Add(await GenerationRetirement.ReleaseAsync(generation, options, cancellationToken).ConfigureAwait(false));
        }
        IReadOnlyList<UnloadReport> reports = await GenerationRetirement.VerifyAsync(released, options, hostAssemblies()).ConfigureAwait(false);
        for (int i = 0; i < plugins.Count; i++)
        {
            UnloadReport report = reports[i];
            abandonment.AbandonIfStuck(released[i], report);
            if (report.Collected)
            {
                Internal.Log.Unloaded(logger, plugins[i].Id, report);
            }
            else
            {
                Internal.Log.UnloadedNotCollected(logger, plugins[i].Id, report);
            }
            plugins[i].MoveTo(PluginState.Unloaded);
            events.Raise(PluginEventKind.Unloaded, new PluginEventArgs(plugins[i].Id, plugins[i].Entry.VersionText, unload: report, elapsed: report.Elapsed));
        }
        return reports;
    }
}
