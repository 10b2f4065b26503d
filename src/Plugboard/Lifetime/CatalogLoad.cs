using Microsoft.Extensions.Logging;
using Plugboard.Discovery;

namespace Plugboard.Lifetime;

/// <summary>
/// Loads plugins into a host: in dependency order (<see cref="PluginGraph.LoadOrder"/>), every version loaded and
/// initialized first, then every start hook run, so start hooks can rely on the whole set being ready. Failures are
/// collected, never thrown, and each is logged once. A cancelled load never leaves a plugin registered but not
/// started: each one is fully started, or unloaded with <see cref="PluginErrorCode.LoadCanceled"/>.
/// </summary>
/// <typeparam name="TContract">The host's contract type.</typeparam>
/// <typeparam name="TPlugin">The host's handle of a loaded plugin.</typeparam>
/// <remarks>
/// The host gives: <c>graph</c>, the graph of its plugins with the given candidates; <c>register</c>, which refuses
/// an id already loaded (<see cref="PluginErrorCode.DuplicatePluginId"/>); <c>add</c>, which makes a loaded version a
/// plugin of the host; <c>forget</c>, which removes one.
/// </remarks>
internal sealed class CatalogLoad<TContract, TPlugin>(GenerationLoader<TContract> loader, PluginUnloader<TContract> unloader,
    Func<IEnumerable<PluginCatalogEntry>, PluginGraph> graph, PluginEventSource events, ILogger logger,
    Action<PluginCatalogEntry> register, Func<PluginGeneration<TContract>, TPlugin> add, Action<TPlugin> forget)
    where TContract : class where TPlugin : class, IPluginSlot<TContract>
{
    /// <summary>Loads the entries a runtime of this host serves; the others are skipped (not this contract).</summary>
    public async Task<(List<TPlugin> Loaded, List<PluginFailure> Failed, List<PluginCatalogEntry> Skipped)> LoadAllAsync(
        IReadOnlyList<PluginCatalogEntry> entries, CancellationToken cancellationToken)
    {
        var loaded = new List<TPlugin>();
        var failed = new List<PluginFailure>();
        // Not this contract: a kind whose runtime cannot give TContract (a native plugin without an adapter).
        List<PluginCatalogEntry> skipped = [.. entries.Where(e => loader.RuntimeFor(e) is null)];
        LoadPlan plan = graph(entries.Except(skipped)).LoadOrder();
        failed.AddRange(plan.Failures);
        var failedIds = new HashSet<string>(failed.Select(f => f.Entry.Id), StringComparer.OrdinalIgnoreCase);
        foreach (PluginCatalogEntry entry in plan.Ordered)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                failed.Add(new PluginFailure(entry, [Canceled(entry, "before its turn came; nothing of it was loaded")]));
                failedIds.Add(entry.Id);
                continue;
            }
            if (PluginGraph.FailedDependency(entry, failedIds) is PluginException dependencyError)
            {
                failed.Add(new PluginFailure(entry, [dependencyError]));
                failedIds.Add(entry.Id);
                continue;
            }
            try
            {
                loaded.Add(await LoadVersionAsync(entry, cancellationToken).ConfigureAwait(false));
            }
            catch (PluginException ex)
            {
                failed.Add(new PluginFailure(entry, [ex]));
                failedIds.Add(entry.Id);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The loader left nothing of it loaded.
                failed.Add(new PluginFailure(entry, [Canceled(entry, "while the plugin was loading or initializing; nothing of it stays loaded")]));
                failedIds.Add(entry.Id);
            }
        }
        // Start only after every plugin initialized, so start hooks can rely on the whole set being ready. After a
        // cancellation nothing more starts: each plugin is either fully started (in Loaded) or unloaded (in Failed).
        foreach (TPlugin plugin in loaded.ToList())
        {
            PluginException? error;
            try
            {
                error = cancellationToken.IsCancellationRequested
                    ? Canceled(plugin.Entry, "after the plugin was loaded and initialized but before it started; it was unloaded")
                    : await loader.StartAsync(plugin.Current!, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                error = CanceledDuringStart(plugin);
            }
            if (error is not null)
            {
                loaded.Remove(plugin);
                failed.Add(new PluginFailure(plugin.Entry, [error]));
                await unloader.UnloadAsync([plugin], forget, CancellationToken.None).ConfigureAwait(false);
            }
            else
            {
                Activate(plugin);
            }
        }
        // Each problem is logged once: an incompatible entry was logged when it was discovered.
        foreach (PluginFailure failure in failed.Where(f => f.Entry.IsCompatible))
        {
            Internal.Log.LoadFailed(logger, failure.Entry.Id, failure.Error.Message);
        }
        return (loaded, failed, skipped);
    }

    /// <summary>Loads, initializes and starts one compatible plugin whose plugin dependencies are loaded.</summary>
    /// <exception cref="PluginException">It failed to load; nothing of it stays loaded.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; nothing of it stays loaded.</exception>
    public async Task<TPlugin> LoadAsync(PluginCatalogEntry entry, CancellationToken cancellationToken)
    {
        // Only an entry's own dependencies can stop it (the walk starts at it): without any, the graph has nothing to say.
        if ((entry.Dependencies.Count > 0 || !entry.IsCompatible) && graph([entry]).LoadOrder() is { Failures: [PluginFailure failure, ..] })
        {
            throw failure.Error;
        }
        TPlugin plugin = await LoadVersionAsync(entry, cancellationToken).ConfigureAwait(false);
        PluginException? error;
        try
        {
            error = await loader.StartAsync(plugin.Current!, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Never left registered but not started; the cancellation carries which plugin and when (PB0315).
            PluginException canceled = CanceledDuringStart(plugin);
            await unloader.UnloadAsync([plugin], forget, CancellationToken.None).ConfigureAwait(false);
            throw new OperationCanceledException(canceled.Message, canceled, cancellationToken);
        }
        if (error is not null)
        {
            await unloader.UnloadAsync([plugin], forget, CancellationToken.None).ConfigureAwait(false);
            throw error;
        }
        Activate(plugin);
        return plugin;
    }

    private async Task<TPlugin> LoadVersionAsync(PluginCatalogEntry entry, CancellationToken cancellationToken)
    {
        register(entry);
        PluginGeneration<TContract> generation = await loader.LoadAsync(entry, cancellationToken).ConfigureAwait(false);
        TPlugin plugin = add(generation);
        Internal.Log.Loaded(logger, entry.Id, entry.Version?.ToString(), generation.Instances.Count);
        return plugin;
    }

    /// <summary>
    /// A start hook the load stopped waiting for may still run the plugin's code (one that ignores its token): the
    /// version's retirement then abandons it, as it does a start hook that timed out.
    /// </summary>
    private static PluginException CanceledDuringStart(TPlugin plugin)
    {
        PluginException canceled = Canceled(plugin.Entry, "while its StartAsync hook ran; it was unloaded");
        plugin.Current!.StartAbandoned = canceled;
        return canceled;
    }

    private static PluginException Canceled(PluginCatalogEntry entry, string when) =>
        new(PluginErrorCode.LoadCanceled, entry.Id, entry.Directory,
            $"The load was cancelled {when}.",
            "Load it again (LoadAllAsync or LoadAsync) when you want it; the plugins in Loaded are fully started.");

    private void Activate(TPlugin plugin)
    {
        plugin.MoveTo(PluginState.Active);
        events.Raise(PluginEventKind.Loaded, new PluginEventArgs(plugin.Id, plugin.Entry.VersionText));
    }
}
