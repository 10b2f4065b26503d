using Microsoft.Extensions.Logging;
using Plugboard.Discovery;

namespace Plugboard.Lifetime;

/// <summary>
/// Loads plugins into a host: in dependency order (<see cref="PluginGraph.LoadOrder"/>), every version loaded and
/// initialized first, then every start hook run, so start hooks can rely on the whole set being ready. Failures are
/// collected, never thrown, and each is logged once.
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
        }
        foreach (TPlugin plugin in loaded.ToList())
        {
            PluginException? error = await loader.StartAsync(plugin.Current!, cancellationToken).ConfigureAwait(false);
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
    public async Task<TPlugin> LoadAsync(PluginCatalogEntry entry, CancellationToken cancellationToken)
    {
        LoadPlan plan = graph([entry]).LoadOrder();
        if (plan.Failures.Count > 0)
        {
            throw plan.Failures[0].Error;
        }
        TPlugin plugin = await LoadVersionAsync(entry, cancellationToken).ConfigureAwait(false);
        PluginException? error = await loader.StartAsync(plugin.Current!, cancellationToken).ConfigureAwait(false);
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

    private void Activate(TPlugin plugin)
    {
        plugin.MoveTo(PluginState.Active);
        events.Raise(PluginEventKind.Loaded, new PluginEventArgs(plugin.Id, plugin.Entry.VersionText));
    }
}
