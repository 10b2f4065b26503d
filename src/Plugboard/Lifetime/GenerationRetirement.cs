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
    public static async Task<UnloadReport> RetireAsync<TContract>(PluginGeneration<TContract> generation, PluginHostOptions options,
        IEnumerable<Assembly> hostAssemblies, CancellationToken cancellationToken) where TContract : class
    {
        var clock = Stopwatch.StartNew();
        string id = generation.Entry.Id;
        generation.BeginRetire();
        bool drained = await generation.DrainAsync(options.DrainTimeout, cancellationToken).ConfigureAwait(false);
        var stopErrors = new List<PluginException>();
        foreach (TContract instance in generation.Instances)
        {
            if (instance is IPluginLifecycle lifecycle)
            {
                PluginException? error = await HookRunner.RunAsync(lifecycle.StopAsync, options.StopTimeout, id, generation.Entry.MainFile, "StopAsync",
                    PluginErrorCode.StopFailed, PluginErrorCode.StopFailed, cancellationToken).ConfigureAwait(false);
                if (error is not null)
                {
                    stopErrors.Add(error);
                }
            }
        }
        if (await ReleaseEntryFactoryAsync(options, generation.PluginContext).ConfigureAwait(false) is Exception releaseError)
        {
            stopErrors.Add(new PluginException(PluginErrorCode.StopFailed, id, generation.Entry.MainFile,
                $"The host's entry factory failed to release the plugin: {releaseError.Message}",
                "Fix PluginEntryFactory.ReleaseAsync; what it kept may keep the plugin loaded.", new PluginCodeException(releaseError)));
        }
                (WeakReference context, List<WeakReference> instances) = Unload(generation);

        int collections = 0;
        while (context.IsAlive && collections < options.UnloadCollectionAttempts)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            collections++;
            if (context.IsAlive)
            {
                await Task.Delay(collections, CancellationToken.None).ConfigureAwait(false);
            }
        }
        List<string> suspects = context.IsAlive
            ? Suspects(context, hostAssemblies, generation.Baseline, instances, drained ? 0 : generation.InFlight)
            : [];
        return new UnloadReport(id, !context.IsAlive, collections, clock.Elapsed, stopErrors, suspects);
    }

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
    private static (WeakReference, List<WeakReference>) Unload<TContract>(PluginGeneration<TContract> generation) where TContract : class
    {
        var instances = generation.Instances.Select(i => new WeakReference(i)).ToList();
        PluginLoadContext context = generation.Release();
        var weak = new WeakReference(context, trackResurrection: true);
        context.Unload();
        context.DeleteShadowCopies();
        return (weak, instances);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static List<string> Suspects(WeakReference context, IEnumerable<Assembly> hostAssemblies, LeakSuspects.Baseline baseline, List<WeakReference> instances, int inFlight) =>
        context.Target is AssemblyLoadContext alive
            ? LeakSuspects.Find(alive, hostAssemblies, baseline, instances.Count(i => i.IsAlive), instances.Count, inFlight)
            : [];
}
