using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Plugboard.Compatibility;
using Plugboard.Discovery;
using Plugboard.Lifetime;
using Plugboard.Loading;

namespace Plugboard;

/// <summary>
/// The entry point for hosts: discovers plugins from metadata, checks them against the host API, loads each
/// compatible one into its own collectible context where it shares the host's API types, and reloads and unloads
/// them with proof that nothing is left behind.
/// </summary>
/// <typeparam name="TContract">The type plugins implement, from the host's public API.</typeparam>
/// <example>
/// <code>
/// await using var host = new PluginHost&lt;INoteProcessor&gt;();
/// PluginCatalog catalog = host.Discover("plugins");          // reads files, loads nothing
/// var result = await host.LoadAllAsync(catalog);              // one bad plugin never stops the others
/// foreach (var plugin in result.Loaded) plugin.Invoke(p =&gt; p.Process(note, store));
/// </code>
/// </example>
/// <remarks>
/// A façade: discovery is <see cref="PluginInspector"/>'s, the plugins held and their dependency graph are
/// <see cref="PluginRegistry{TPlugin}"/>'s and <see cref="PluginGraph"/>'s, loading a version is
/// <see cref="GenerationLoader{TContract}"/>'s, loading a catalog <see cref="CatalogLoad{TContract, TPlugin}"/>'s, reload and its
/// cascade <see cref="PluginReload{TContract}"/>'s, unloading <see cref="PluginUnloader{TContract}"/>'s, and the events
/// <see cref="PluginEventSource"/>'s, raised outside the one <see cref="LifecycleLock"/>.
/// </remarks>
public sealed class PluginHost<TContract> : IAsyncDisposable where TContract : class
{
    private readonly HostApi _hostApi;
    private readonly PluginInspector _inspector;

    /// <summary>Discovery's mechanics, for tests that inspect a snapshot they took.</summary>
    internal PluginInspector Inspector => _inspector;
    private readonly ILogger _logger;
    private readonly PluginRegistry<LoadedPlugin<TContract>> _registry = new(p => p.Entry, p => p.MainAssembly, p => p.Isolation);
    private readonly PluginEventSource _events;
    private readonly LifecycleLock _lifecycle;
    private readonly Abandonment _abandonment;
    private readonly GenerationLoader<TContract> _loader;
    private readonly CatalogLoad<TContract, LoadedPlugin<TContract>> _catalogLoad;
    private readonly PluginReload<TContract> _reload;
    private readonly PluginUnloader<TContract> _unloader;

    /// <summary>Creates a host. The contract's assembly is the host API unless <paramref name="options"/> names more.</summary>
    /// <param name="options">Sharing, services, logging and timeouts; defaults when null.</param>
    public PluginHost(PluginHostOptions? options = null)
    {
        options ??= new PluginHostOptions();
        _hostApi = HostApi.FromLoaded(typeof(TContract), options.HostApiAssemblies, options.SharedAssemblies, options.PrivateFrameworkAssemblies);
        _hostApi.AnyPublicConstructor = options.EntryFactory is not null;
        _hostApi.VersionRule = options.ApiVersionRule;
        _inspector = new PluginInspector(_hostApi, options.Trust);
        _logger = options.LoggerFactory?.CreateLogger("Plugboard") ?? NullLogger.Instance;
        _events = new PluginEventSource(this, _logger);
        _lifecycle = new LifecycleLock(_events);
        _abandonment = new Abandonment(_events, _logger);
        IPluginRuntime<TContract>[] runtimes =
        [
            new ManagedRuntime<TContract>(_hostApi, options.EntryFactory, _registry.AssembliesOfDependencies),
            new NativeRuntime<TContract>(new Native.NativePluginLoader(options.NativePlugins), options.NativeAdapterFor<TContract>()),
            new Isolation.IsolatedRuntime<TContract>(PluginKind.Managed, options),
            new Isolation.IsolatedRuntime<TContract>(PluginKind.Native, options),
        ];
        _loader = new GenerationLoader<TContract>(options, _inspector, runtimes, _abandonment, _hostApi.LoadedSharedAssemblies, options.Isolation.For,
            _registry.IsolationOfDependencies);
        _unloader = new PluginUnloader<TContract>(options, _hostApi.LoadedSharedAssemblies, _abandonment, _events, _logger);
        _reload = new PluginReload<TContract>(options, _inspector, _registry.ProvidedTo, _loader, _events, _logger);
        _catalogLoad = new(_loader, _unloader, _registry.Graph, _events, _logger, _registry.EnsureFree,
            generation => _registry.Add(new LoadedPlugin<TContract>(this, generation, options)), _registry.Remove);
    }

    /// <summary>Raised after a plugin loaded (including a restart after its dependency reloaded).</summary>
    public event EventHandler<PluginEventArgs>? PluginLoaded { add => _events.Subscribe(PluginEventKind.Loaded, value); remove => _events.Unsubscribe(PluginEventKind.Loaded, value); }

    /// <summary>Raised after a plugin's new version replaced the old one; carries the old version's unload report.</summary>
    public event EventHandler<PluginEventArgs>? PluginReloaded { add => _events.Subscribe(PluginEventKind.Reloaded, value); remove => _events.Unsubscribe(PluginEventKind.Reloaded, value); }

    /// <summary>Raised when a reload failed and the old version keeps serving; carries the typed error.</summary>
    public event EventHandler<PluginEventArgs>? PluginReloadFailed { add => _events.Subscribe(PluginEventKind.ReloadFailed, value); remove => _events.Unsubscribe(PluginEventKind.ReloadFailed, value); }

    /// <summary>Raised after a plugin was unloaded; carries its unload report.</summary>
    public event EventHandler<PluginEventArgs>? PluginUnloaded { add => _events.Subscribe(PluginEventKind.Unloaded, value); remove => _events.Unsubscribe(PluginEventKind.Unloaded, value); }

    /// <summary>Raised when a plugin crossed the fault threshold and is no longer called; carries the typed error.</summary>
    public event EventHandler<PluginEventArgs>? PluginFaulted { add => _events.Subscribe(PluginEventKind.Faulted, value); remove => _events.Unsubscribe(PluginEventKind.Faulted, value); }

    /// <summary>Raised when a plugin was abandoned with a hook still running (its initialize, start or stop hook timed out, or its load was cancelled during a start hook that ignored it); carries that error.</summary>
    public event EventHandler<PluginEventArgs>? PluginAbandoned { add => _events.Subscribe(PluginEventKind.Abandoned, value); remove => _events.Unsubscribe(PluginEventKind.Abandoned, value); }

    /// <summary>Plugins abandoned with a hook still running whose context is still in memory (their stuck code has not ended).</summary>
    public IReadOnlyList<AbandonedPlugin> AbandonedPlugins => _abandonment.Alive;

    /// <summary>Names of the assemblies every plugin shares with the host (the API, Plugboard's contracts and their dependencies).</summary>
    public IEnumerable<string> SharedAssemblyNames => _hostApi.SharedNames;

    /// <summary>The plugins currently loaded.</summary>
    public IReadOnlyList<LoadedPlugin<TContract>> Plugins => _registry.All;

    /// <summary>
    /// Scans a folder holding one sub-folder per plugin and builds the catalog from metadata: no assembly is loaded,
    /// no plugin code runs, no file stays open.
    /// </summary>
    /// <param name="pluginsDirectory">The folder to scan.</param>
    /// <returns>Every plugin found, each compatible or not, with why.</returns>
    /// <exception cref="PluginException">The folder does not exist (<see cref="PluginErrorCode.DirectoryNotFound"/>).</exception>
    public PluginCatalog Discover(string pluginsDirectory)
    {
        PluginCatalog catalog = _inspector.Scan(pluginsDirectory);
        foreach (PluginCatalogEntry entry in catalog.Incompatible)
        {
            Internal.Log.Incompatible(_logger, entry.Id, entry.Problems[0].Message);
        }
        return catalog;
    }

    /// <summary>Inspects a single plugin folder, as <see cref="Discover"/> does for each sub-folder.</summary>
    /// <param name="pluginDirectory">The plugin's folder.</param>
    /// <returns>The catalog entry.</returns>
    public PluginCatalogEntry Inspect(string pluginDirectory)
    {
        PluginCatalogEntry entry = _inspector.Inspect(pluginDirectory, _registry.ProvidedTo);
        if (!entry.IsCompatible)
        {
            Internal.Log.Incompatible(_logger, entry.Id, entry.Problems[0].Message);
        }
        return entry;
    }

    /// <summary>Inspects a plugin from files another process read and checked (an out-of-process plugin's worker).</summary>
    internal PluginCatalogEntry Inspect(Trust.PluginSnapshot snapshot) => _inspector.Inspect(snapshot, _registry.ProvidedTo);

    /// <summary>
    /// Loads every compatible managed plugin of the catalog in dependency order: creates the entry instances, runs
    /// every initialize hook, then every start hook. Failures are collected, never thrown; a plugin whose
    /// dependency is missing, of the wrong version, in a cycle or failed is not loaded, with the whole chain named.
    /// </summary>
    /// <param name="catalog">From <see cref="Discover"/>.</param>
    /// <param name="cancellationToken">Stops loading further plugins.</param>
    /// <returns>What loaded, what failed and why, and what was skipped.</returns>
    public async Task<PluginLoadResult<TContract>> LoadAllAsync(PluginCatalog catalog, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        (List<LoadedPlugin<TContract>> loaded, List<PluginFailure> failed, List<PluginCatalogEntry> skipped) =
            await _lifecycle.RunAsync(() => _catalogLoad.LoadAllAsync(catalog.Entries, cancellationToken), cancellationToken).ConfigureAwait(false);
        return new PluginLoadResult<TContract>(loaded, failed, skipped);
    }

    /// <summary>Loads, initializes and starts one plugin. Its plugin dependencies must already be loaded.</summary>
    /// <param name="entry">A catalog entry of a managed plugin.</param>
    /// <param name="cancellationToken">Cancels waiting for the plugin's hooks.</param>
    /// <returns>The loaded plugin.</returns>
    /// <exception cref="PluginException">The plugin is incompatible or failed to load; the host is unaffected and nothing of the plugin stays loaded.</exception>
    public async Task<LoadedPlugin<TContract>> LoadAsync(PluginCatalogEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (!entry.IsCompatible)
        {
            throw entry.Problems[0];
        }
        return await _lifecycle.RunAsync(() => _catalogLoad.LoadAsync(entry, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Unloads every loaded plugin, dependents before their dependencies.</summary>
    /// <returns>One report per plugin.</returns>
    public Task<IReadOnlyList<UnloadReport>> UnloadAllAsync() =>
        _lifecycle.RunAsync(() => _unloader.UnloadAsync(_registry.DependentsFirst(), _registry.Remove, CancellationToken.None), CancellationToken.None);

    /// <summary>
    /// Watches a plugins folder and hot-reloads a loaded plugin when any file of its folder changes (main assembly,
    /// dependencies, <c>runtimes/</c>, manifest), after <paramref name="debounce"/> without further changes. A new
    /// plugin folder that appears is loaded. Failures are reported through <see cref="PluginReloadFailed"/> and the log.
    /// </summary>
    /// <param name="pluginsDirectory">The folder holding one sub-folder per plugin.</param>
    /// <param name="debounce">Quiet time after the last change before reloading; default 300 ms.</param>
    /// <returns>The watcher; dispose it to stop watching.</returns>
    public PluginDirectoryWatcher<TContract> Watch(string pluginsDirectory, TimeSpan? debounce = null) =>
        new(this, Path.GetFullPath(pluginsDirectory), debounce ?? TimeSpan.FromMilliseconds(300), _logger);

    /// <summary>Unloads every loaded plugin.</summary>
    /// <returns>A task that completes when all are unloaded.</returns>
    public async ValueTask DisposeAsync() => await UnloadAllAsync().ConfigureAwait(false);

    internal async Task<UnloadReport> UnloadAsync(LoadedPlugin<TContract> plugin, CancellationToken cancellationToken) =>
        (await _lifecycle.RunAsync(() =>
        {
            if (plugin.Current is null)
            {
                throw new InvalidOperationException($"Plugin '{plugin.Id}' has already been unloaded.");
            }
            // Dependents go first: they hold types of this plugin, which could not be collected before them.
            return _unloader.UnloadAsync([.. _registry.DependentsOf(plugin), plugin], _registry.Remove, cancellationToken);
        }, cancellationToken).ConfigureAwait(false))[^1];

    internal Task<ReloadResult> ReloadAsync(LoadedPlugin<TContract> plugin, CancellationToken cancellationToken) =>
        _lifecycle.RunAsync(() => _reload.ReloadAsync(plugin, _registry.DependentsOf(plugin), _registry.Remove, cancellationToken), cancellationToken);

    /// <summary>Loads a new plugin folder that appeared while watching.</summary>
    internal async Task<LoadedPlugin<TContract>?> LoadNewAsync(string pluginDirectory, CancellationToken cancellationToken)
    {
        PluginCatalogEntry entry = Inspect(pluginDirectory);
        // Not this contract: a host of another contract (or kind) watching the same folder reports it.
        if (_loader.RuntimeFor(entry) is null)
        {
            return null;
        }
        try
        {
            return await LoadAsync(entry, cancellationToken).ConfigureAwait(false);
        }
        catch (PluginException ex)
        {
            if (entry.IsCompatible)
            {
                Internal.Log.NewPluginFailed(_logger, entry.Id, ex.Message);
            }
            _events.Raise(PluginEventKind.ReloadFailed, new PluginEventArgs(entry.Id, null, error: ex));
            return null;
        }
    }

    internal void OnFaulted(LoadedPlugin<TContract> plugin, PluginException error)
    {
        Internal.Log.Faulted(_logger, plugin.Id, error.Message);
        _events.Raise(PluginEventKind.Faulted, new PluginEventArgs(plugin.Id, plugin.Entry.VersionText, error: error));
    }
}
