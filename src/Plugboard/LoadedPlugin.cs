using System.Reflection;
using System.Runtime.CompilerServices;
using Plugboard.Lifetime;
using Plugboard.Loading;

namespace Plugboard;

/// <summary>
/// A plugin loaded into its own collectible context: its entry instances, typed as the host's contract.
/// Unload it through <see cref="UnloadAsync"/>; after that Plugboard holds nothing of it.
/// </summary>
/// <typeparam name="TContract">The host's contract type.</typeparam>
public sealed class LoadedPlugin<TContract> where TContract : class
{
    private readonly PluginHostOptions _options;
    private readonly Action<LoadedPlugin<TContract>> _onUnloaded;
    private PluginLoadContext? _context;
    private IReadOnlyList<TContract> _instances;
    private int _unloading;

    internal LoadedPlugin(PluginCatalogEntry entry, PluginLoadContext context, Assembly mainAssembly, IReadOnlyList<TContract> instances,
        IPluginContext pluginContext, PluginHostOptions options, Action<LoadedPlugin<TContract>> onUnloaded)
    {
        Entry = entry;
        _context = context;
        MainAssembly = mainAssembly;
        _instances = instances;
        PluginContext = pluginContext;
        _options = options;
        _onUnloaded = onUnloaded;
    }

    /// <summary>The catalog entry the plugin was loaded from.</summary>
    public PluginCatalogEntry Entry { get; }

    /// <summary>The plugin id.</summary>
    public string Id => Entry.Id;

    /// <summary>The entry instances, one per entry type, in the order of <see cref="PluginCatalogEntry.EntryTypes"/>. Empty after unload.</summary>
    public IReadOnlyList<TContract> Instances => _instances;

    /// <summary>True until <see cref="UnloadAsync"/> starts.</summary>
    public bool IsLoaded => Volatile.Read(ref _unloading) == 0;

    /// <summary>The context handed to the plugin's hooks.</summary>
    public IPluginContext PluginContext { get; }

    /// <summary>The name of the plugin's load context, as the runtime lists it in <c>AssemblyLoadContext.All</c>.</summary>
    public string LoadContextName => $"Plugboard:{Entry.Id}";

    internal Assembly? MainAssembly { get; private set; }

    internal PluginLoadContext? LoadContext => _context;

    /// <summary>
    /// Stops the plugin (its stop hooks, bounded by the host's stop timeout), unloads its context and waits a bounded
    /// number of garbage collections for the context to be collected. Drop every reference to the plugin's instances
    /// before calling, or the report will say the context was not collected.
    /// </summary>
    /// <param name="cancellationToken">Cancels waiting for stop hooks.</param>
    /// <returns>The report; <see cref="UnloadReport.Collected"/> tells whether the plugin really is gone.</returns>
    /// <exception cref="InvalidOperationException">The plugin was already unloaded.</exception>
    public async Task<UnloadReport> UnloadAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _unloading, 1) != 0)
        {
            throw new InvalidOperationException($"Plugin '{Id}' has already been unloaded.");
        }
        var started = System.Diagnostics.Stopwatch.StartNew();
        var stopErrors = new List<PluginException>();
        foreach (TContract instance in _instances)
        {
            if (instance is IPluginLifecycle lifecycle)
            {
                PluginException? error = await HookRunner.RunAsync(lifecycle.StopAsync, _options.StopTimeout, Id, Entry.MainFile, "StopAsync",
                    PluginErrorCode.StopFailed, PluginErrorCode.StopFailed, cancellationToken).ConfigureAwait(false);
                if (error is not null)
                {
                    stopErrors.Add(error);
                }
            }
        }
        var instanceRefs = _instances.Select(i => new WeakReference(i)).ToList();
        WeakReference contextRef = StartUnload();
        _onUnloaded(this);

        int collections = 0;
        while (contextRef.IsAlive && collections < _options.UnloadCollectionAttempts)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            collections++;
            if (contextRef.IsAlive)
            {
                await Task.Yield();
            }
        }
        bool collected = !contextRef.IsAlive;
        var suspects = new List<string>();
        if (!collected)
        {
            int alive = instanceRefs.Count(r => r.IsAlive);
            if (alive > 0)
            {
                suspects.Add($"{alive} of {instanceRefs.Count} entry instance(s) Plugboard handed out are still referenced by the host");
            }
            suspects.Add("something outside Plugboard still references a plugin type, object, delegate or thread (static events on host types, running threads and timers, framework caches such as System.Text.Json or TypeDescriptor)");
        }
        return new UnloadReport(Id, collected, collections, started.Elapsed, stopErrors, suspects);
    }

    // Not inlined, so no local of this frame keeps the context reachable while the caller collects.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private WeakReference StartUnload()
    {
        PluginLoadContext context = _context!;
        var weak = new WeakReference(context, trackResurrection: true);
        _instances = [];
        MainAssembly = null;
        _context = null;
        context.Unload();
        context.DeleteShadowCopies();
        return weak;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Id} {Entry.Version} ({(IsLoaded ? "loaded" : "unloaded")})";
}
