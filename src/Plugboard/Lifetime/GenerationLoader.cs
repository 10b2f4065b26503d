using System.Reflection;
using Plugboard.Discovery;
using Plugboard.Loading;
using Plugboard.Trust;

namespace Plugboard.Lifetime;

/// <summary>
/// Brings one version of a plugin to life, whatever its kind: the runtime of its kind loads its code and creates its
/// entry instances, then their initialize hooks run (and, later, their start hooks). Nothing of a version that fails
/// stays loaded; one whose initialize hook timed out with its code still running is abandoned.
/// </summary>
internal sealed class GenerationLoader<TContract>(PluginHostOptions options, PluginInspector inspector, IReadOnlyList<IPluginRuntime<TContract>> runtimes,
    Abandonment abandonment, Func<IEnumerable<Assembly>> hostAssemblies, Func<PluginCatalogEntry, PluginIsolation> isolationOf,
    Func<PluginCatalogEntry, IReadOnlyList<(string Id, PluginIsolation Isolation)>> isolationOfDependencies) where TContract : class
{
    /// <summary>
    /// The runtime that loads <paramref name="entry"/>'s kind as <typeparamref name="TContract"/> with the isolation the
    /// host chose for it; null when none can (not this contract).
    /// </summary>
    public IPluginRuntime<TContract>? RuntimeFor(PluginCatalogEntry entry)
    {
        PluginIsolation isolation = isolationOf(entry);
        return runtimes.FirstOrDefault(r => r.Kind == entry.Kind && r.Isolation == isolation && r.ServesContract);
    }

    /// <summary>
    /// Whether <paramref name="entry"/> may finish loading beside other loads (<see cref="IPluginRuntime{TContract}.LoadsConcurrently"/>):
    /// its <see cref="LoadAsync"/> returns once its own init runs.
    /// </summary>
    public bool LoadsConcurrently(PluginCatalogEntry entry) => RuntimeFor(entry)?.LoadsConcurrently == true;

    /// <summary>Loads the plugin's code, creates its instances and initializes them.</summary>
    /// <exception cref="PluginException">The version cannot be loaded or initialized; nothing of it stays loaded.</exception>
    /// <exception cref="OperationCanceledException">Cancelled while initializing; nothing of it stays loaded.</exception>
    public async Task<PluginGeneration<TContract>> LoadAsync(PluginCatalogEntry entry, CancellationToken cancellationToken)
    {
        IPluginRuntime<TContract> runtime = RuntimeFor(entry) ?? throw new PluginException(PluginErrorCode.LoadFailed, entry.Id, entry.MainFile,
            $"It is a {entry.Kind.ToString().ToLowerInvariant()} plugin, and this host has no way to give such plugins as {typeof(TContract).FullName}.",
            entry.Kind == PluginKind.Native
                ? $"Register an adapter with PluginHostOptions.AddNativeAdapter<{typeof(TContract).Name}>(...), or load it in a PluginHost<NativePlugin>."
                : "Load it in a host of a contract its entry types implement.");
        if (DependencyIsolation.Check(entry, isolationOf(entry), isolationOfDependencies(entry)) is PluginException acrossProcesses)
        {
            throw acrossProcesses;
        }
        // One snapshot of the plugin's files, trust applied to it right before loading; nothing is read from the folder again.
        PluginSnapshot snapshot = inspector.SnapshotForLoad(entry);
        LeakSuspects.Baseline baseline = LeakSuspects.Baseline.Now();
        var pluginContext = new PluginContext(entry, options);
        PluginCode? code = null;
        PluginException? timedOut = null;
        try
        {
            (code, IReadOnlyList<TContract> instances) = await runtime.LoadAsync(entry, snapshot, pluginContext).ConfigureAwait(false);
            List<PluginException> errors = await HookRunner.RunOnEachAsync(instances, (lifecycle, ct) => lifecycle.InitializeAsync(pluginContext, ct), options.InitializationTimeout,
                entry, "InitializeAsync", PluginErrorCode.InitializationFailed, PluginErrorCode.InitializationTimedOut, stopAtFirstError: true, cancellationToken).ConfigureAwait(false);
            if (errors.Count > 0)
            {
                timedOut = errors[0].Code == PluginErrorCode.InitializationTimedOut ? errors[0] : null;
                throw errors[0];
            }
            return new PluginGeneration<TContract>(entry, code, instances, pluginContext, baseline);
        }
        catch
        {
            // Nothing of a failed plugin stays loaded.
            await GenerationRetirement.ReleaseEntryFactoryAsync(options, pluginContext).ConfigureAwait(false);
            if (code?.Abandon() is WeakReference left && timedOut is not null)
            {
                abandonment.Abandon(entry.Id, "InitializeAsync", timedOut, left, entry.VersionText);
            }
            throw;
        }
    }

    /// <summary>Runs the start hooks; the first error, or null when all started.</summary>
    /// <exception cref="OperationCanceledException">Cancelled while a start hook ran.</exception>
    public async Task<PluginException?> StartAsync(PluginGeneration<TContract> generation, CancellationToken cancellationToken)
    {
        List<PluginException> errors = await HookRunner.RunOnEachAsync(generation.Instances, (lifecycle, ct) => lifecycle.StartAsync(ct), options.InitializationTimeout,
            generation.Entry, "StartAsync", PluginErrorCode.InitializationFailed, PluginErrorCode.InitializationTimedOut, stopAtFirstError: true, cancellationToken).ConfigureAwait(false);
        PluginException? error = errors.FirstOrDefault();
        if (error?.Code == PluginErrorCode.InitializationTimedOut)
        {
            generation.StartAbandoned = error; // its retirement abandons it if the stuck hook keeps it alive
        }
        return error;
    }

    /// <summary>
    /// Retires a version completely (drain, stop hooks, unload, proof), whatever any token says; one whose start or
    /// stop hook timed out and whose context stayed alive is abandoned.
    /// </summary>
    public async Task<UnloadReport> RetireAsync(PluginGeneration<TContract> generation)
    {
        GenerationRetirement.Released released = await GenerationRetirement.ReleaseAsync(generation, options, CancellationToken.None).ConfigureAwait(false);
        UnloadReport report = (await GenerationRetirement.VerifyAsync([released], options, hostAssemblies()).ConfigureAwait(false))[0];
        abandonment.AbandonIfStuck(released, report);
        return report;
    }
}
