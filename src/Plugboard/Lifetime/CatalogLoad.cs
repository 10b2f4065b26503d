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
        // Not this contract: a kind whose runtime cannot give TContract (a native plugin without an adapter).
        List<PluginCatalogEntry> skipped = [.. entries.Where(e => loader.RuntimeFor(e) is null)];
        LoadPlan plan = graph(entries.Except(skipped)).LoadOrder();
        var failed = new List<PluginFailure>(plan.Failures);
        var failedIds = new HashSet<string>(failed.Select(f => f.Entry.Id), StringComparer.OrdinalIgnoreCase);
        var outcomes = new Dictionary<PluginCatalogEntry, Outcome>(ReferenceEqualityComparer.Instance);
        var inFlight = new List<(PluginCatalogEntry Entry, Task<Outcome> Load)>();
        var waiting = new List<PluginCatalogEntry>(plan.Ordered);
        try
        {
            // Every load starts here, on this flow, one at a time (id check, snapshot, opening the code). A managed
            // plugin then loads and initializes before the next one starts, as always; a native one (whose init runs on
            // a call thread of its own) is left in flight, so a hung init costs InitTimeout once, not once per plugin.
            // A plugin starts only once no plugin it depends on (and no earlier one of its id) is waiting or in flight;
            // managed plugins start in the plan's order.
            while (waiting.Count > 0)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    foreach (PluginCatalogEntry entry in waiting)
                    {
                        outcomes[entry] = new Outcome(null, Canceled(entry, "before its turn came; nothing of it was loaded"));
                    }
                    break;
                }
                int next = NextReady(waiting, inFlight);
                if (next < 0)
                {
                    // Everything left waits for a load in flight.
                    await Task.WhenAny(inFlight.Select(f => f.Load)).ConfigureAwait(false);
                    Collect(inFlight, outcomes, failedIds);
                    continue;
                }
                PluginCatalogEntry ready = waiting[next];
                waiting.RemoveAt(next);
                Task<Outcome> load = PluginGraph.FailedDependency(ready, failedIds) is PluginException dependencyError
                    ? Task.FromResult(new Outcome(null, dependencyError))
                    : LoadOneAsync(ready, cancellationToken);
                if (!load.IsCompleted && loader.LoadsConcurrently(ready))
                {
                    inFlight.Add((ready, load));
                    continue;
                }
                Outcome outcome = await load.ConfigureAwait(false);
                outcomes[ready] = outcome;
                if (outcome.Error is not null)
                {
                    failedIds.Add(ready.Id);
                }
            }
        }
        finally
        {
            // Nothing still loading is left behind, not even when this load throws.
            await Task.WhenAll(inFlight.Select(f => f.Load)).ConfigureAwait(false);
            Collect(inFlight, outcomes, failedIds);
        }
        var loaded = new List<TPlugin>();
        foreach (PluginCatalogEntry entry in plan.Ordered)
        {
            Outcome outcome = outcomes[entry];
            if (outcome.Plugin is TPlugin plugin)
            {
                loaded.Add(plugin);
            }
            else
            {
                failed.Add(new PluginFailure(entry, [outcome.Error!]));
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

    /// <summary>
    /// The first waiting entry that may start now: none of its dependencies, and no earlier entry of its id, is waiting
    /// before it or in flight, and (for a managed one) no managed entry waits before it. -1 when none may.
    /// </summary>
    private int NextReady(List<PluginCatalogEntry> waiting, List<(PluginCatalogEntry Entry, Task<Outcome> Load)> inFlight)
    {
        var pending = new HashSet<string>(inFlight.Select(f => f.Entry.Id), StringComparer.OrdinalIgnoreCase);
        bool managedWaits = false;
        for (int i = 0; i < waiting.Count; i++)
        {
            PluginCatalogEntry entry = waiting[i];
            bool concurrent = loader.LoadsConcurrently(entry);
            // Managed plugins keep the plan's order: none starts before an earlier one.
            if ((concurrent || !managedWaits) && !pending.Contains(entry.Id) && !entry.Dependencies.Any(d => pending.Contains(d.Id)))
            {
                return i;
            }
            managedWaits |= !concurrent;
            pending.Add(entry.Id);
        }
        return -1;
    }

    /// <summary>Moves the loads in flight that completed into <paramref name="outcomes"/>.</summary>
    private static void Collect(List<(PluginCatalogEntry Entry, Task<Outcome> Load)> inFlight, Dictionary<PluginCatalogEntry, Outcome> outcomes, HashSet<string> failedIds)
    {
        for (int i = inFlight.Count - 1; i >= 0; i--)
        {
            (PluginCatalogEntry entry, Task<Outcome> load) = inFlight[i];
            if (load.IsCompleted)
            {
                inFlight.RemoveAt(i);
                Outcome outcome = load.GetAwaiter().GetResult();
                outcomes[entry] = outcome;
                if (outcome.Error is not null)
                {
                    failedIds.Add(entry.Id);
                }
            }
        }
    }

    /// <summary>Loads and initializes one plugin; its typed error (or cancellation) is its outcome, never thrown.</summary>
    private async Task<Outcome> LoadOneAsync(PluginCatalogEntry entry, CancellationToken cancellationToken)
    {
        try
        {
            return new Outcome(await LoadVersionAsync(entry, cancellationToken).ConfigureAwait(false), null);
        }
        catch (PluginException ex)
        {
            return new Outcome(null, ex);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The loader left nothing of it loaded.
            return new Outcome(null, Canceled(entry, "while the plugin was loading or initializing; nothing of it stays loaded"));
        }
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

    /// <summary>A loaded plugin, or why it did not load.</summary>
    private readonly record struct Outcome(TPlugin? Plugin, PluginException? Error);

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
