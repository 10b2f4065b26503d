using System.Diagnostics;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using Plugboard.Loading;

namespace Plugboard.Lifetime;

/// <summary>
/// Retires one version of a plugin: waits for its calls in flight, runs its stop hooks, unloads its context and
/// proves (or disproves) that the collector reclaimed it.
/// </summary>
internal static class GenerationRetirement
{
    /// <summary>Everything up to the unload: drain, stop hooks, the entry factory's release, <c>Unload()</c>. Keeps only weak references.</summary>
    public static async Task<Released> ReleaseAsync<TContract>(PluginGeneration<TContract> generation, PluginHostOptions options,
        CancellationToken cancellationToken) where TContract : class
    {
        var clock = Stopwatch.StartNew();
        string id = generation.Entry.Id;
        generation.Gate.Close();
        bool drained;
        try
        {
            drained = await generation.Gate.DrainAsync(options.DrainTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The version no longer takes calls: cancelling only stops waiting for the ones in flight (the report counts them).
            drained = false;
        }
        // Once a version retires it retires completely: the stop hooks always run, bounded by StopTimeout, not by the caller's token.
        List<PluginException> stopErrors = await HookRunner.RunOnEachAsync(generation.Instances, (lifecycle, ct) => lifecycle.StopAsync(ct), options.StopTimeout,
            generation.Entry, "StopAsync", PluginErrorCode.StopFailed, PluginErrorCode.StopTimedOut, stopAtFirstError: false, CancellationToken.None).ConfigureAwait(false);
        if (await ReleaseEntryFactoryAsync(options, generation.PluginContext).ConfigureAwait(false) is Exception releaseError)
        {
            stopErrors.Add(new PluginException(PluginErrorCode.StopFailed, id, generation.Entry.MainFile,
                $"The host's entry factory failed to release the plugin: {releaseError.Message}",
                "Fix PluginEntryFactory.ReleaseAsync; what it kept may keep the plugin loaded.", new PluginCodeException(releaseError)));
        }
        // A hook that timed out may still run the plugin's code: the version is abandoned if that keeps it alive.
        Stuck? stuck = generation.StartAbandoned is PluginException startAbandoned ? new Stuck("StartAsync", startAbandoned)
            : stopErrors.FirstOrDefault(e => e.Code == PluginErrorCode.StopTimedOut) is PluginException stopTimeout ? new Stuck("StopAsync", stopTimeout)
            : null;
        (CodeRelease code, List<WeakReference> instances) = Unload(generation);
        return new Released(id, generation.Entry.VersionText, clock, stopErrors, code, instances, generation.Baseline, drained ? 0 : generation.InFlight, stuck);
    }

    /// <summary>
    /// Runs full collections until every released context is collected or the attempts run out, and reports on each.
    /// One loop serves any number of plugins, so unloading N plugins costs the collections of one, not of N.
    /// </summary>
    public static async Task<IReadOnlyList<UnloadReport>> VerifyAsync(IReadOnlyList<Released> released, PluginHostOptions options, IEnumerable<Assembly> hostAssemblies)
    {
        int[] collectedAfter = new int[released.Count];
        int collections = 0;
        bool cleared = false;
        // Until a freed context's collections have run, a pending context is simply not freed yet, unless a hook of
        // its plugin may still be running (it timed out or was cancelled): that one gets time to let go at once.
        int heldAfter = released.Any(r => r.Stuck is not null) ? 1 : CollectionsOfAFreeContext;
        while (Pending(released, collectedAfter, collections) && collections < options.UnloadCollectionAttempts)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            collections++;
            if (collections >= heldAfter && Pending(released, collectedAfter, collections))
            {
                if (!cleared)
                {
                    // The host re-fills them afterwards (its next serialization of each type costs a first use), so
                    // only a plugin still held clears them, never one that left nothing behind.
                    FrameworkCaches.Clear();
                    cleared = true;
                }
                // Time for a thread of the plugin that is ending to let go (a cancelled hook finishing, a timer being
                // disposed), longer after each collection.
                await Task.Delay(collections, CancellationToken.None).ConfigureAwait(false);
            }
        }
        var reports = new UnloadReport[released.Count];
        for (int i = 0; i < released.Count; i++)
        {
            Released r = released[i];
            bool collected = r.Code.Collectible is WeakReference weak ? !weak.IsAlive : r.Code.KeptBecause is null;
            List<string> suspects = collected ? []
                : r.Code.Collectible is WeakReference context ? Suspects(context, hostAssemblies, r.Baseline, r.Instances, r.InFlight)
                : [r.Code.KeptBecause!];
            if (!collected && r.Stuck is Stuck stuck)
            {
                suspects.Insert(0, LeakSuspects.Abandoned(stuck.Hook, stuck.Error));
            }
            // The deep diagnosis looks for a managed context's roots; a native library's verdict needs none.
            (IReadOnlyList<LeakRoot> roots, string? diagnosis) = collected || r.Code.Collectible is not WeakReference alive
                ? ([], null) : DeepDiagnosis.Run(options.UnloadDiagnosis, r.Id, alive);
            // A native verdict needs no collection: none is counted for it.
            int needed = r.Code.Collectible is null ? 0 : collected ? collectedAfter[i] : collections;
            reports[i] = new UnloadReport(r.Id, collected, needed, r.Clock.Elapsed, r.StopErrors, suspects, roots, diagnosis);
        }
        return reports;
    }

    /// <summary>
    /// Full collections a collectible context needs when nothing holds it: the first runs its loader allocator's
    /// finalizer, the second frees it.
    /// </summary>
    private const int CollectionsOfAFreeContext = 2;

    /// <summary>Records when each context was first seen collected; true while any is still alive.</summary>
    private static bool Pending(IReadOnlyList<Released> released, int[] collectedAfter, int collections)
    {
        bool pending = false;
        for (int i = 0; i < released.Count; i++)
        {
            // Only a collectible context can change its verdict by collecting; a native verdict is known at release.
            if (released[i].Code.Collectible is { IsAlive: true })
            {
                pending = true;
            }
            else if (collectedAfter[i] == 0)
            {
                collectedAfter[i] = collections;
            }
        }
        return pending;
    }

    /// <summary>A plugin version let go of, waiting for the collector's verdict; <c>Stuck</c> is the hook that timed out and may still run its code.</summary>
    internal sealed record Released(string Id, string? Version, Stopwatch Clock, IReadOnlyList<PluginException> StopErrors, CodeRelease Code,
        List<WeakReference> Instances, LeakSuspects.Baseline Baseline, int InFlight, Stuck? Stuck);

    /// <summary>A lifecycle hook that timed out, with its error.</summary>
    internal sealed record Stuck(string Hook, PluginException Error);

    /// <summary>Lets the host's entry factory drop what it kept for one plugin version; returns what it threw.</summary>
    public static async Task<Exception?> ReleaseEntryFactoryAsync(PluginHostOptions options, IPluginContext pluginContext)
    {
        if (options.EntryFactory is not PluginEntryFactory factory)
        {
            return null;
        }
        try
        {
            await factory.ReleaseAsync(pluginContext).ConfigureAwait(false);
            return null;
        }
#pragma warning disable CA1031 // A failing release must not stop the unload; the caller reports it.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return ex;
        }
    }

    // Separate frames, never inlined, so no local of the caller keeps the context or the instances reachable.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (CodeRelease, List<WeakReference>) Unload<TContract>(PluginGeneration<TContract> generation) where TContract : class
    {
        var instances = generation.Instances.Select(i => new WeakReference(i)).ToList();
        return (generation.Release().Release(), instances);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static List<string> Suspects(WeakReference context, IEnumerable<Assembly> hostAssemblies, LeakSuspects.Baseline baseline, List<WeakReference> instances, int inFlight) =>
        context.Target is AssemblyLoadContext alive
            ? LeakSuspects.Find(alive, hostAssemblies, baseline, instances.Count(i => i.IsAlive), instances.Count, inFlight)
            : [];
}
