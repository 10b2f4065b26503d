using System.Diagnostics;
using System.Reflection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Plugboard.Compatibility;
using Plugboard.Lifetime;
using Plugboard.Loading;
using Plugboard.Metadata;

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
public sealed class PluginHost<TContract> : IAsyncDisposable where TContract : class
{
    private readonly PluginHostOptions _options;
    private readonly HostApi _hostApi;
    private readonly PluginInspector _inspector;
    private readonly ILogger _logger;
    private readonly IReadOnlyList<IPluginRuntime<TContract>> _runtimes;
    private readonly List<LoadedPlugin<TContract>> _plugins = [];
    private readonly Lock _gate = new();
    // One lifecycle change (load, reload, unload) at a time: cascades walk the dependency graph and must see it still.
    private readonly SemaphoreSlim _lifecycle = new(1, 1);

    /// <summary>Creates a host. The contract's assembly is the host API unless <paramref name="options"/> names more.</summary>
    /// <param name="options">Sharing, services, logging and timeouts; defaults when null.</param>
    public PluginHost(PluginHostOptions? options = null)
    {
        _options = options ?? new PluginHostOptions();
        _hostApi = HostApi.FromLoaded(typeof(TContract), _options.HostApiAssemblies, _options.SharedAssemblies, _options.PrivateFrameworkAssemblies);
        _hostApi.AnyPublicConstructor = _options.EntryFactory is not null;
        _inspector = new PluginInspector(_hostApi, _options.Trust);
        _logger = _options.LoggerFactory?.CreateLogger("Plugboard") ?? NullLogger.Instance;
        _runtimes =
        [
            new ManagedRuntime<TContract>(_hostApi, _options.EntryFactory, AssembliesOfDependencies),
            new NativeRuntime<TContract>(new Native.NativePluginLoader(_options.NativePlugins), _options.NativeAdapterFor<TContract>()),
        ];
    }

    /// <summary>Raised after a plugin loaded (including a restart after its dependency reloaded).</summary>
    public event EventHandler<PluginEventArgs>? PluginLoaded;

    /// <summary>Raised after a plugin's new version replaced the old one; carries the old version's unload report.</summary>
    public event EventHandler<PluginEventArgs>? PluginReloaded;

    /// <summary>Raised when a reload failed and the old version keeps serving; carries the typed error.</summary>
    public event EventHandler<PluginEventArgs>? PluginReloadFailed;

    /// <summary>Raised after a plugin was unloaded; carries its unload report.</summary>
    public event EventHandler<PluginEventArgs>? PluginUnloaded;

    /// <summary>Raised when a plugin crossed the fault threshold and is no longer called; carries the typed error.</summary>
    public event EventHandler<PluginEventArgs>? PluginFaulted;

    /// <summary>Names of the assemblies every plugin shares with the host (the API, Plugboard's contracts and their dependencies).</summary>
    public IEnumerable<string> SharedAssemblyNames => _hostApi.SharedNames;

    /// <summary>The plugins currently loaded.</summary>
    public IReadOnlyList<LoadedPlugin<TContract>> Plugins
    {
        get
        {
            lock (_gate)
            {
                return [.. _plugins];
            }
        }
    }

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
            _logger.LogWarning("Plugin {PluginId} cannot be loaded: {Error}", entry.Id, entry.Problems[0].Message);
        }
        return catalog;
    }

    /// <summary>Inspects a single plugin folder, as <see cref="Discover"/> does for each sub-folder.</summary>
    /// <param name="pluginDirectory">The plugin's folder.</param>
    /// <returns>The catalog entry.</returns>
    public PluginCatalogEntry Inspect(string pluginDirectory) => _inspector.Inspect(pluginDirectory, ProvidedByDependencies);

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
        var loaded = new List<LoadedPlugin<TContract>>();
        var failed = new List<PluginFailure>();
        var skipped = new List<PluginCatalogEntry>();
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Not this contract: a kind whose runtime cannot give TContract (a native plugin without an adapter).
            skipped.AddRange(catalog.Entries.Where(e => RuntimeFor(e) is null));
            var order = new DependencyOrder(catalog.Entries.Except(skipped), Plugins.Select(p => p.Entry));
            foreach (PluginFailure failure in order.Failures)
            {
                failed.Add(failure);
            }
            var failedIds = new HashSet<string>(failed.Select(f => f.Entry.Id), StringComparer.OrdinalIgnoreCase);
            foreach (PluginCatalogEntry entry in order.Ordered)
            {
                if (order.FailedDependency(entry, failedIds) is PluginException dependencyError)
                {
                    failed.Add(new PluginFailure(entry, [dependencyError]));
                    failedIds.Add(entry.Id);
                    continue;
                }
                try
                {
                    loaded.Add(await LoadCoreAsync(entry, cancellationToken).ConfigureAwait(false));
                }
                catch (PluginException ex)
                {
                    failed.Add(new PluginFailure(entry, [ex]));
                    failedIds.Add(entry.Id);
                }
            }
            // Start only after every plugin initialized, so start hooks can rely on the whole set being ready.
            foreach (LoadedPlugin<TContract> plugin in loaded.ToList())
            {
                PluginException? error = await StartAsync(plugin.Current!, cancellationToken).ConfigureAwait(false);
                if (error is not null)
                {
                    loaded.Remove(plugin);
                    failed.Add(new PluginFailure(plugin.Entry, [error]));
                    await UnloadCoreAsync(plugin, CancellationToken.None).ConfigureAwait(false);
                }
                else
                {
                    Raise(PluginLoaded, new PluginEventArgs(plugin.Id, VersionOf(plugin.Entry)));
                }
            }
        }
        finally
        {
            _lifecycle.Release();
        }
        foreach (PluginFailure failure in failed)
        {
            _logger.LogError("Plugin {PluginId} failed to load: {Error}", failure.Entry.Id, failure.Error.Message);
        }
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
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var order = new DependencyOrder([entry], Plugins.Select(p => p.Entry));
            if (order.Failures.Count > 0)
            {
                throw order.Failures[0].Error;
            }
            LoadedPlugin<TContract> plugin = await LoadCoreAsync(entry, cancellationToken).ConfigureAwait(false);
            PluginException? error = await StartAsync(plugin.Current!, cancellationToken).ConfigureAwait(false);
            if (error is not null)
            {
                await UnloadCoreAsync(plugin, CancellationToken.None).ConfigureAwait(false);
                throw error;
            }
            Raise(PluginLoaded, new PluginEventArgs(plugin.Id, VersionOf(plugin.Entry)));
            return plugin;
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Unloads every loaded plugin, dependents before their dependencies.</summary>
    /// <returns>One report per plugin.</returns>
    public async Task<IReadOnlyList<UnloadReport>> UnloadAllAsync()
    {
        await _lifecycle.WaitAsync().ConfigureAwait(false);
        try
        {
            return await UnloadCoreAsync(DependencyOrder.DependentsFirst(Plugins).ToList(), CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

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

    internal async Task<UnloadReport> UnloadAsync(LoadedPlugin<TContract> plugin, CancellationToken cancellationToken)
    {
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (plugin.Current is null)
            {
                throw new InvalidOperationException($"Plugin '{plugin.Id}' has already been unloaded.");
            }
            // Dependents go first: they hold types of this plugin, which could not be collected before them.
            List<LoadedPlugin<TContract>> batch = [.. DependencyOrder.DependentsFirst(DependentsOf(plugin)), plugin];
            IReadOnlyList<UnloadReport> reports = await UnloadCoreAsync(batch, cancellationToken).ConfigureAwait(false);
            return reports[^1];
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    internal async Task<ReloadResult> ReloadAsync(LoadedPlugin<TContract> plugin, CancellationToken cancellationToken)
    {
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await ReloadCoreAsync(plugin, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Loads a new plugin folder that appeared while watching.</summary>
    internal async Task<LoadedPlugin<TContract>?> LoadNewAsync(string pluginDirectory, CancellationToken cancellationToken)
    {
        PluginCatalogEntry entry = Inspect(pluginDirectory);
        // Not this contract: a host of another contract (or kind) watching the same folder reports it.
        if (RuntimeFor(entry) is null)
        {
            return null;
        }
        try
        {
            return await LoadAsync(entry, cancellationToken).ConfigureAwait(false);
        }
        catch (PluginException ex)
        {
            _logger.LogError("New plugin {PluginId} failed to load: {Error}", entry.Id, ex.Message);
            Raise(PluginReloadFailed, new PluginEventArgs(entry.Id, null, error: ex));
            return null;
        }
    }

    private async Task<ReloadResult> ReloadCoreAsync(LoadedPlugin<TContract> plugin, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        PluginGeneration<TContract>? old = plugin.Current
            ?? throw new InvalidOperationException($"Plugin '{plugin.Id}' has been unloaded; load it again instead of reloading it.");
        string? oldVersion = VersionOf(old.Entry);

        (PluginCatalogEntry entry, PluginGeneration<TContract>? next, PluginException? problem) = await NextGenerationAsync(plugin, old.Entry.Directory, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return ReloadFailed(plugin, oldVersion, problem, clock.Elapsed);
        }

        // Dependents hold the old version's types: stop them now, restart them on the new version afterwards.
        List<LoadedPlugin<TContract>> dependents = DependencyOrder.DependentsFirst(DependentsOf(plugin)).ToList();
        var dependentOldVersions = new Dictionary<string, (string? Version, UnloadReport? Unload)>(StringComparer.OrdinalIgnoreCase);
        foreach (LoadedPlugin<TContract> dependent in dependents)
        {
            string? version = VersionOf(dependent.Entry);
            PluginGeneration<TContract>? stopped = dependent.Swap(null, restarting: true);
            UnloadReport? stoppedReport = stopped is null ? null
                : await GenerationRetirement.RetireAsync(stopped, _options, LoadedHostAssemblies(), cancellationToken).ConfigureAwait(false);
            dependentOldVersions[dependent.Id] = (version, stoppedReport);
        }

        PluginException? transferError = await SwapAsync(plugin, old, next!, cancellationToken).ConfigureAwait(false);
        if (transferError is not null)
        {
            await GenerationRetirement.RetireAsync(next!, _options, LoadedHostAssemblies(), CancellationToken.None).ConfigureAwait(false);
            await RestartAsync(Enumerable.Reverse(dependents).ToList(), dependentOldVersions, cancellationToken).ConfigureAwait(false);
            return ReloadFailed(plugin, oldVersion, transferError, clock.Elapsed);
        }
        UnloadReport report = await GenerationRetirement.RetireAsync(old, _options, LoadedHostAssemblies(), cancellationToken).ConfigureAwait(false);
        List<ReloadResult> restarted = await RestartAsync(Enumerable.Reverse(dependents).ToList(), dependentOldVersions, cancellationToken).ConfigureAwait(false);
        var result = new ReloadResult(plugin.Id, oldVersion, VersionOf(entry), null, report, clock.Elapsed, restarted);
        _logger.LogInformation("Reloaded plugin {PluginId} {Old} -> {New} in {Elapsed} ms; old version collected: {Collected}",
            plugin.Id, oldVersion, result.NewVersion, (long)clock.Elapsed.TotalMilliseconds, report.Collected);
        if (!report.Collected)
        {
            _logger.LogWarning("Old version of plugin {PluginId} was not collected: {Report}", plugin.Id, report);
        }
        Raise(PluginReloaded, new PluginEventArgs(plugin.Id, result.NewVersion, oldVersion, unload: report, elapsed: clock.Elapsed));
        return result;
    }

    /// <summary>Puts the new version in place. With state transfer, new calls wait while the old version drains and hands over its state.</summary>
    private async Task<PluginException?> SwapAsync(LoadedPlugin<TContract> plugin, PluginGeneration<TContract> old, PluginGeneration<TContract> next, CancellationToken cancellationToken)
    {
        bool transfer = old.Instances.Any(i => i is IPluginStateTransfer) && next.Instances.Any(i => i is IPluginStateTransfer);
        if (!transfer)
        {
            plugin.Swap(next);
            return null;
        }
        old.Gate.Close();
        await old.Gate.DrainAsync(_options.DrainTimeout, cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (TContract instance in old.Instances)
            {
                if (instance is IPluginStateTransfer source
                    && next.Instances.FirstOrDefault(n => n.GetType().FullName == instance.GetType().FullName) is IPluginStateTransfer target
                    && source.ExportState() is object state)
                {
                    if (old.Code?.Owns(state.GetType().Assembly) == true)
                    {
                        throw new InvalidOperationException($"the exported state is of type {state.GetType().FullName}, which belongs to the old version of the plugin and would keep it loaded; export host API types, framework types or bytes");
                    }
                    target.ImportState(state);
                }
            }
        }
        catch (Exception ex)
        {
            old.Gate.Reopen();
            return new PluginException(PluginErrorCode.StateTransferFailed, plugin.Id, next.Entry.MainFile,
                $"Handing state from version {VersionOf(old.Entry)} to {VersionOf(next.Entry)} failed: {ex.Message}",
                "Fix ExportState/ImportState; the old version keeps serving until a new version imports its state.", new PluginCodeException(ex));
        }
        plugin.Swap(next);
        return null;
    }

    private async Task<List<ReloadResult>> RestartAsync(List<LoadedPlugin<TContract>> plugins, Dictionary<string, (string? Version, UnloadReport? Unload)> old, CancellationToken cancellationToken)
    {
        var results = new List<ReloadResult>();
        foreach (LoadedPlugin<TContract> plugin in plugins)
        {
            var clock = Stopwatch.StartNew();
            (PluginCatalogEntry entry, PluginGeneration<TContract>? next, PluginException? problem) = await NextGenerationAsync(plugin, plugin.Entry.Directory, cancellationToken).ConfigureAwait(false);
            if (problem is not null)
            {
                plugin.EndRestart(null);
                Forget(plugin);
                var error = new PluginException(PluginErrorCode.DependencyFailed, plugin.Id, entry.Directory,
                    $"It could not be restarted after a plugin it depends on was reloaded: {problem.Message}",
                    "Rebuild the plugin against the reloaded dependency and load it again.", problem);
                results.Add(ReloadFailed(plugin, old.GetValueOrDefault(plugin.Id).Version, error, clock.Elapsed));
                continue;
            }
            plugin.EndRestart(next);
            (string? oldVersion, UnloadReport? unload) = old.GetValueOrDefault(plugin.Id);
            var result = new ReloadResult(plugin.Id, oldVersion, VersionOf(entry), null, unload, clock.Elapsed, []);
            Raise(PluginReloaded, new PluginEventArgs(plugin.Id, result.NewVersion, result.PreviousVersion, unload: unload, elapsed: clock.Elapsed));
            results.Add(result);
        }
        return results;
    }

    /// <summary>
    /// Inspects a plugin folder again and loads, initializes and starts its new version beside the running one.
    /// On any failure nothing of the new version stays loaded and the problem says why.
    /// </summary>
    private async Task<(PluginCatalogEntry Entry, PluginGeneration<TContract>? Next, PluginException? Problem)> NextGenerationAsync(
        LoadedPlugin<TContract> plugin, string directory, CancellationToken cancellationToken)
    {
        PluginCatalogEntry entry = _inspector.Inspect(directory, ProvidedByDependencies);
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
                next = await LoadGenerationAsync(entry, cancellationToken).ConfigureAwait(false);
                problem = await StartAsync(next, cancellationToken).ConfigureAwait(false);
            }
            catch (PluginException ex)
            {
                problem = ex;
            }
        }
        if (problem is not null && next is not null)
        {
            await GenerationRetirement.RetireAsync(next, _options, LoadedHostAssemblies(), CancellationToken.None).ConfigureAwait(false);
            next = null;
        }
        return (entry, next, problem);
    }

    private ReloadResult ReloadFailed(LoadedPlugin<TContract> plugin, string? oldVersion, PluginException error, TimeSpan elapsed)
    {
        _logger.LogError("Reloading plugin {PluginId} failed; version {Version} keeps serving: {Error}", plugin.Id, oldVersion, error.Message);
        Raise(PluginReloadFailed, new PluginEventArgs(plugin.Id, oldVersion, error: error, elapsed: elapsed));
        return new ReloadResult(plugin.Id, oldVersion, null, error, null, elapsed, []);
    }

    private async Task<LoadedPlugin<TContract>> LoadCoreAsync(PluginCatalogEntry entry, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_plugins.Any(p => string.Equals(p.Id, entry.Id, StringComparison.OrdinalIgnoreCase)))
            {
                throw new PluginException(PluginErrorCode.DuplicatePluginId, entry.Id, entry.Directory,
                    $"A plugin with the id '{entry.Id}' is already loaded in this host.", "Unload the loaded one first, or give this one another id.");
            }
        }
        PluginGeneration<TContract> generation = await LoadGenerationAsync(entry, cancellationToken).ConfigureAwait(false);
        var plugin = new LoadedPlugin<TContract>(this, generation, _options.FaultThreshold);
        lock (_gate)
        {
            _plugins.Add(plugin);
        }
        _logger.LogInformation("Loaded plugin {PluginId} {Version} with {Count} entry instance(s)", entry.Id, entry.Version, generation.Instances.Count);
        return plugin;
    }

    /// <summary>Creates a context, loads the plugin, creates its instances and initializes them. Nothing stays loaded when it fails.</summary>
    private async Task<PluginGeneration<TContract>> LoadGenerationAsync(PluginCatalogEntry entry, CancellationToken cancellationToken)
    {
        IPluginRuntime<TContract> runtime = RuntimeFor(entry) ?? throw new PluginException(PluginErrorCode.LoadFailed, entry.Id, entry.MainFile,
            $"It is a {entry.Kind.ToString().ToLowerInvariant()} plugin, and this host has no way to give such plugins as {typeof(TContract).FullName}.",
            entry.Kind == PluginKind.Native
                ? $"Register an adapter with PluginHostOptions.AddNativeAdapter<{typeof(TContract).Name}>(...), or load it in a PluginHost<NativePlugin>."
                : "Load it in a host of a contract its entry types implement.");
        // Files may have changed since discovery: the trust policy is applied again right before loading.
        if (_inspector.CheckTrust(entry.Directory, entry.Id) is { Count: > 0 } untrusted)
        {
            throw untrusted[0];
        }
        LeakSuspects.Baseline baseline = LeakSuspects.Baseline.Now();
        var pluginContext = new PluginContext(entry, _options);
        PluginCode? code = null;
        try
        {
            (code, IReadOnlyList<TContract> instances) = runtime.Load(entry, pluginContext);
            List<PluginException> errors = await HookRunner.RunOnEachAsync(instances, (lifecycle, ct) => lifecycle.InitializeAsync(pluginContext, ct), _options.InitializationTimeout,
                entry, "InitializeAsync", PluginErrorCode.InitializationFailed, PluginErrorCode.InitializationTimedOut, stopAtFirstError: true, cancellationToken).ConfigureAwait(false);
            if (errors.Count > 0)
            {
                throw errors[0];
            }
            return new PluginGeneration<TContract>(entry, code, instances, pluginContext, baseline);
        }
        catch
        {
            // Nothing of a failed plugin stays loaded.
            await GenerationRetirement.ReleaseEntryFactoryAsync(_options, pluginContext).ConfigureAwait(false);
            code?.Abandon();
            throw;
        }
    }

    private async Task<PluginException?> StartAsync(PluginGeneration<TContract> generation, CancellationToken cancellationToken)
    {
        List<PluginException> errors = await HookRunner.RunOnEachAsync(generation.Instances, (lifecycle, ct) => lifecycle.StartAsync(ct), _options.InitializationTimeout,
            generation.Entry, "StartAsync", PluginErrorCode.InitializationFailed, PluginErrorCode.InitializationTimedOut, stopAtFirstError: true, cancellationToken).ConfigureAwait(false);
        return errors.FirstOrDefault();
    }

    private async Task<UnloadReport> UnloadCoreAsync(LoadedPlugin<TContract> plugin, CancellationToken cancellationToken) =>
        (await UnloadCoreAsync([plugin], cancellationToken).ConfigureAwait(false))[0];

    /// <summary>Releases the plugins in the order given, then verifies all of them in one collection loop.</summary>
    private async Task<IReadOnlyList<UnloadReport>> UnloadCoreAsync(IReadOnlyList<LoadedPlugin<TContract>> plugins, CancellationToken cancellationToken)
    {
        var released = new List<GenerationRetirement.Released>();
        foreach (LoadedPlugin<TContract> plugin in plugins)
        {
            PluginGeneration<TContract>? generation = plugin.Swap(null);
            Forget(plugin);
            if (generation is null)
            {
                throw new InvalidOperationException($"Plugin '{plugin.Id}' has already been unloaded.");
            }
            released.Add(await GenerationRetirement.ReleaseAsync(generation, _options, cancellationToken).ConfigureAwait(false));
        }
        IReadOnlyList<UnloadReport> reports = await GenerationRetirement.VerifyAsync(released, _options, LoadedHostAssemblies()).ConfigureAwait(false);
        for (int i = 0; i < plugins.Count; i++)
        {
            UnloadReport report = reports[i];
            if (report.Collected)
            {
                _logger.LogInformation("Unloaded plugin {PluginId}: {Report}", plugins[i].Id, report);
            }
            else
            {
                _logger.LogWarning("Unloaded plugin {PluginId} but its context was not collected: {Report}", plugins[i].Id, report);
            }
            Raise(PluginUnloaded, new PluginEventArgs(plugins[i].Id, VersionOf(plugins[i].Entry), unload: report, elapsed: report.Elapsed));
        }
        return reports;
    }

    private IEnumerable<LoadedPlugin<TContract>> DependentsOf(LoadedPlugin<TContract> plugin)
    {
        var all = Plugins;
        var result = new List<LoadedPlugin<TContract>>();
        var frontier = new Queue<string>([plugin.Id]);
        while (frontier.Count > 0)
        {
            string id = frontier.Dequeue();
            foreach (LoadedPlugin<TContract> candidate in all)
            {
                if (!result.Contains(candidate) && candidate != plugin
                    && candidate.Entry.Dependencies.Any(d => string.Equals(d.Id, id, StringComparison.OrdinalIgnoreCase)))
                {
                    result.Add(candidate);
                    frontier.Enqueue(candidate.Id);
                }
            }
        }
        return result;
    }

    /// <summary>The main assemblies of the plugins <paramref name="entry"/> depends on, transitively, for its context to share.</summary>
    private Dictionary<string, Assembly> AssembliesOfDependencies(PluginCatalogEntry entry)
    {
        var byId = Plugins.ToDictionary(p => p.Id, StringComparer.OrdinalIgnoreCase);
        var assemblies = new Dictionary<string, Assembly>(StringComparer.OrdinalIgnoreCase);
        var pending = new Stack<PluginCatalogEntry>([entry]);
        while (pending.Count > 0)
        {
            foreach (PluginDependency dependency in pending.Pop().Dependencies)
            {
                if (byId.TryGetValue(dependency.Id, out LoadedPlugin<TContract>? provider) && provider.MainAssembly is Assembly main
                    && assemblies.TryAdd(main.GetName().Name!, main))
                {
                    pending.Push(provider.Entry);
                }
            }
        }
        return assemblies;
    }

    /// <summary>For the compatibility check: the assemblies loaded plugins provide to <paramref name="entry"/> through its declared dependencies.</summary>
    private Dictionary<string, Version> ProvidedByDependencies(PluginCatalogEntry entry) =>
        AssembliesOfDependencies(entry).ToDictionary(a => a.Key, a => a.Value.GetName().Version ?? new Version(0, 0), StringComparer.OrdinalIgnoreCase);

    internal void OnFaulted(LoadedPlugin<TContract> plugin, PluginException error)
    {
        _logger.LogError("Plugin {PluginId} is faulted: {Error}", plugin.Id, error.Message);
        Raise(PluginFaulted, new PluginEventArgs(plugin.Id, VersionOf(plugin.Entry), error: error));
    }

    /// <summary>The runtime that loads <paramref name="entry"/>'s kind as <typeparamref name="TContract"/>; null when none can (not this contract).</summary>
    private IPluginRuntime<TContract>? RuntimeFor(PluginCatalogEntry entry) => _runtimes.FirstOrDefault(r => r.Kind == entry.Kind && r.ServesContract);

    private IEnumerable<Assembly> LoadedHostAssemblies() => _hostApi.SharedNames.Select(_hostApi.SharedAssembly).OfType<Assembly>();

    private void Forget(LoadedPlugin<TContract> plugin)
    {
        lock (_gate)
        {
            _plugins.Remove(plugin);
        }
    }

    private void Raise(EventHandler<PluginEventArgs>? handler, PluginEventArgs args)
    {
        try
        {
            handler?.Invoke(this, args);
        }
        catch (Exception ex)
        {
            // A host's event handler must not break the plugin lifecycle it observes.
            _logger.LogError(ex, "A handler of a Plugboard event for plugin {PluginId} threw", args.PluginId);
        }
    }

    private static string? VersionOf(PluginCatalogEntry entry) => entry.Version?.ToNormalizedString();
}
