using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Plugboard.Discovery;

namespace Plugboard.Lifetime;

/// <summary>
/// Hot reload and its cascade: prepare the new version (cancellable: a cancellation discards it and the old one
/// keeps serving), stop the dependents, swap (<see cref="GenerationSwap"/>), then retire the old version and restart
/// the dependents on the new one. From the swap on, the reload completes whatever the token says: every wait is
/// bounded by the host's timeouts.
/// </summary>
/// <remarks><c>providedTo</c> gives the assemblies the loaded plugins provide to an entry through its declared dependencies.</remarks>
internal sealed class PluginReload<TContract>(PluginHostOptions options, PluginInspector inspector, Func<PluginCatalogEntry, IReadOnlyDictionary<string, Version>> providedTo,
    GenerationLoader<TContract> loader, PluginEventSource events, ILogger logger) where TContract : class
{
    /// <param name="plugin">The plugin to reload.</param>
    /// <param name="dependents">The plugins that depend on it, dependents first.</param>
    /// <param name="forget">Removes a plugin from the host (a dependent that cannot restart).</param>
    /// <param name="cancellationToken">Cancels the reload while it can still roll back.</param>
    public async Task<ReloadResult> ReloadAsync<TPlugin>(TPlugin plugin, IReadOnlyList<TPlugin> dependents, Action<TPlugin> forget, CancellationToken cancellationToken)
        where TPlugin : IPluginSlot<TContract>
    {
        var clock = Stopwatch.StartNew();
        PluginGeneration<TContract>? old = plugin.Current
            ?? throw new InvalidOperationException($"Plugin '{plugin.Id}' has been unloaded; load it again instead of reloading it.");
        string? oldVersion = old.Entry.VersionText;
        plugin.MoveTo(PluginState.Reloading);

        (PluginCatalogEntry entry, PluginGeneration<TContract>? next, PluginException? problem) = await NextGenerationAsync(plugin, old.Entry.Directory, cancellationToken).ConfigureAwait(false);
        if (problem is null && cancellationToken.IsCancellationRequested)
        {
            await loader.RetireAsync(next!).ConfigureAwait(false);
            problem = GenerationSwap.Canceled(plugin, oldVersion);
        }
        if (problem is not null)
        {
            plugin.MoveTo(PluginState.Active);
            return Failed(plugin, oldVersion, problem, clock.Elapsed);
        }

        // Dependents hold the old version's types: stop them now, restart them on the new version afterwards.
        var dependentOldVersions = new Dictionary<string, (string? Version, UnloadReport? Unload)>(StringComparer.OrdinalIgnoreCase);
        foreach (TPlugin dependent in dependents)
        {
            string? version = dependent.Entry.VersionText;
            PluginGeneration<TContract>? stopped = dependent.Swap(null, restarting: true);
            UnloadReport? stoppedReport = stopped is null ? null : await loader.RetireAsync(stopped).ConfigureAwait(false);
            dependentOldVersions[dependent.Id] = (version, stoppedReport);
        }
        List<TPlugin> restartOrder = [.. Enumerable.Reverse(dependents)];

        PluginException? swapError = await GenerationSwap.SwapAsync(plugin, old, next!, options.DrainTimeout, cancellationToken).ConfigureAwait(false);
        if (swapError is not null)
        {
            await loader.RetireAsync(next!).ConfigureAwait(false);
            await RestartAsync(restartOrder, dependentOldVersions, forget).ConfigureAwait(false);
            return Failed(plugin, oldVersion, swapError, clock.Elapsed);
        }
        UnloadReport report = await loader.RetireAsync(old).ConfigureAwait(false);
        List<ReloadResult> restarted = await RestartAsync(restartOrder, dependentOldVersions, forget).ConfigureAwait(false);
        var result = new ReloadResult(plugin.Id, oldVersion, entry.VersionText, null, report, clock.Elapsed, restarted);
        Internal.Log.Reloaded(logger, plugin.Id, oldVersion, result.NewVersion, (long)clock.Elapsed.TotalMilliseconds, report.Collected);
        if (!report.Collected)
        {
            Internal.Log.OldVersionNotCollected(logger, plugin.Id, report);
        }
        events.Raise(PluginEventKind.Reloaded, new PluginEventArgs(plugin.Id, result.NewVersion, oldVersion, unload: report, elapsed: clock.Elapsed));
        return result;
    }

    /// <summary>Restarts stopped dependents, dependencies first; one that cannot restart leaves the host.</summary>
    private async Task<List<ReloadResult>> RestartAsync<TPlugin>(List<TPlugin> plugins, Dictionary<string, (string? Version, UnloadReport? Unload)> old, Action<TPlugin> forget)
        where TPlugin : IPluginSlot<TContract>
    {
        var results = new List<ReloadResult>();
        foreach (TPlugin plugin in plugins)
        {
            var clock = Stopwatch.StartNew();
            (PluginCatalogEntry entry, PluginGeneration<TContract>? next, PluginException? problem) = await NextGenerationAsync(plugin, plugin.Entry.Directory, CancellationToken.None).ConfigureAwait(false);
            if (problem is not null)
            {
                plugin.EndRestart(null);
                forget(plugin);
                var error = new PluginException(PluginErrorCode.DependencyFailed, plugin.Id, entry.Directory,
                    $"It could not be restarted after a plugin it depends on was reloaded: {problem.Message}",
                    "Rebuild the plugin against the reloaded dependency and load it again.", problem);
                results.Add(Failed(plugin, old.GetValueOrDefault(plugin.Id).Version, error, clock.Elapsed));
                continue;
            }
            plugin.EndRestart(next);
            (string? oldVersion, UnloadReport? unload) = old.GetValueOrDefault(plugin.Id);
            var result = new ReloadResult(plugin.Id, oldVersion, entry.VersionText, null, unload, clock.Elapsed, []);
            events.Raise(PluginEventKind.Reloaded, new PluginEventArgs(plugin.Id, result.NewVersion, result.PreviousVersion, unload: unload, elapsed: clock.Elapsed));
            results.Add(result);
        }
        return results;
    }

    /// <summary>
    /// Inspects a plugin folder again and loads, initializes and starts its new version beside the running one.
    /// On any failure nothing of the new version stays loaded and the problem says why.
    /// </summary>
    private async Task<(PluginCatalogEntry Entry, PluginGeneration<TContract>? Next, PluginException? Problem)> NextGenerationAsync(
        IPluginSlot<TContract> plugin, string directory, CancellationToken cancellationToken)
    {
        PluginCatalogEntry entry = inspector.Inspect(directory, providedTo);
        PluginException? problem = entry.IsCompatible ? null : entry.Problems[0];
        if (problem is null && !string.Equals(entry.Id, plugin.Id, StringComparison.OrdinalIgnoreCase))
        {
            problem = new PluginException(PluginErrorCode.LoadFailed, plugin.Id, entry.Directory,
                $"The new version's id is '{entry.Id}', but the loaded plugin's id is '{plugin.Id}'; a reload cannot change a plugin's id.",
                "Keep the id, or unload the plugin and load the new one as a new plugin.");
        }
        PluginGeneration<TContract>? next = null;
        if (problem is null)
        {
            try
            {
                next = await loader.LoadAsync(entry, cancellationToken).ConfigureAwait(false);
                problem = await loader.StartAsync(next, cancellationToken).ConfigureAwait(false);
            }
            catch (PluginException ex)
            {
                problem = ex;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                problem = GenerationSwap.Canceled(plugin, plugin.Entry.VersionText);
            }
        }
        if (problem is not null && next is not null)
        {
            await loader.RetireAsync(next).ConfigureAwait(false);
            next = null;
        }
        return (entry, next, problem);
    }

    private ReloadResult Failed(IPluginSlot<TContract> plugin, string? oldVersion, PluginException error, TimeSpan elapsed)
    {
        Internal.Log.ReloadFailed(logger, plugin.Id, oldVersion, error.Message);
        events.Raise(PluginEventKind.ReloadFailed, new PluginEventArgs(plugin.Id, oldVersion, error: error, elapsed: elapsed));
        return new ReloadResult(plugin.Id, oldVersion, null, error, null, elapsed, []);
    }
}
