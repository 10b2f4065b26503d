using System.Reflection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Plugboard.Compatibility;
using Plugboard.Lifetime;
using Plugboard.Loading;
using Plugboard.Metadata;

namespace Plugboard;

/// <summary>
/// The entry point for hosts: discovers plugins from metadata, checks them against the host API, and loads each
/// compatible one into its own collectible context where it shares the host's API types.
/// </summary>
/// <typeparam name="TContract">The type plugins implement, from the host's public API.</typeparam>
/// <example>
/// <code>
/// await using var host = new PluginHost&lt;INoteProcessor&gt;();
/// PluginCatalog catalog = host.Discover("plugins");          // reads files, loads nothing
/// var result = await host.LoadAllAsync(catalog);              // one bad plugin never stops the others
/// foreach (INoteProcessor processor in result.Instances) { ... }
/// </code>
/// </example>
public sealed class PluginHost<TContract> : IAsyncDisposable where TContract : class
{
    private readonly PluginHostOptions _options;
    private readonly HostApi _hostApi;
    private readonly PluginInspector _inspector;
    private readonly ILogger _logger;
    private readonly List<LoadedPlugin<TContract>> _plugins = [];
    private readonly Lock _gate = new();

    /// <summary>Creates a host. The contract's assembly is the host API unless <paramref name="options"/> names more.</summary>
    /// <param name="options">Sharing, services, logging and timeouts; defaults when null.</param>
    public PluginHost(PluginHostOptions? options = null)
    {
        _options = options ?? new PluginHostOptions();
        _hostApi = HostApi.FromLoaded(typeof(TContract), _options.HostApiAssemblies, _options.SharedAssemblies, _options.PrivateFrameworkAssemblies);
        _inspector = new PluginInspector(_hostApi);
        _logger = _options.LoggerFactory?.CreateLogger("Plugboard") ?? NullLogger.Instance;
    }

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
    public PluginCatalogEntry Inspect(string pluginDirectory) => _inspector.Inspect(pluginDirectory);

    /// <summary>
    /// Loads every compatible managed plugin of the catalog: creates the entry instances, runs every initialize
    /// hook, then every start hook. Failures are collected, never thrown.
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
        foreach (PluginCatalogEntry entry in catalog.Entries)
        {
            if (entry.Kind == PluginKind.Native && entry.IsCompatible)
            {
                skipped.Add(entry);
                continue;
            }
            if (!entry.IsCompatible)
            {
                failed.Add(new PluginFailure(entry, entry.Problems));
                continue;
            }
            try
            {
                loaded.Add(await LoadCoreAsync(entry, start: false, cancellationToken).ConfigureAwait(false));
            }
            catch (PluginException ex)
            {
                failed.Add(new PluginFailure(entry, [ex]));
            }
        }
        // Start only after every plugin initialized, so start hooks can rely on the whole set being ready.
        foreach (LoadedPlugin<TContract> plugin in loaded.ToList())
        {
            PluginException? error = await StartAsync(plugin, cancellationToken).ConfigureAwait(false);
            if (error is not null)
            {
                loaded.Remove(plugin);
                failed.Add(new PluginFailure(plugin.Entry, [error]));
                await plugin.UnloadAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
        foreach (PluginFailure failure in failed)
        {
            _logger.LogError(failure.Error, "Plugin {PluginId} failed to load: {Error}", failure.Entry.Id, failure.Error.Message);
        }
        return new PluginLoadResult<TContract>(loaded, failed, skipped);
    }

    /// <summary>Loads, initializes and starts one plugin.</summary>
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
        LoadedPlugin<TContract> plugin = await LoadCoreAsync(entry, start: true, cancellationToken).ConfigureAwait(false);
        return plugin;
    }

    /// <summary>Unloads every loaded plugin.</summary>
    /// <returns>One report per plugin.</returns>
    public async Task<IReadOnlyList<UnloadReport>> UnloadAllAsync()
    {
        var reports = new List<UnloadReport>();
        foreach (LoadedPlugin<TContract> plugin in Plugins.Reverse())
        {
            reports.Add(await plugin.UnloadAsync().ConfigureAwait(false));
        }
        return reports;
    }

    /// <summary>Unloads every loaded plugin.</summary>
    /// <returns>A task that completes when all are unloaded.</returns>
    public async ValueTask DisposeAsync() => await UnloadAllAsync().ConfigureAwait(false);

    private async Task<LoadedPlugin<TContract>> LoadCoreAsync(PluginCatalogEntry entry, bool start, CancellationToken cancellationToken)
    {
        if (entry.Kind != PluginKind.Managed)
        {
            throw new PluginException(PluginErrorCode.LoadFailed, entry.Id, entry.MainFile,
                "It is a native plugin; PluginHost loads managed plugins.", "Load native plugins with Plugboard.Native's loader.");
        }
        lock (_gate)
        {
            if (_plugins.Any(p => string.Equals(p.Id, entry.Id, StringComparison.OrdinalIgnoreCase)))
            {
                throw new PluginException(PluginErrorCode.DuplicatePluginId, entry.Id, entry.Directory,
                    $"A plugin with the id '{entry.Id}' is already loaded in this host.", "Unload the loaded one first, or give this one another id.");
            }
        }
        var context = new PluginLoadContext(entry.Id, entry.MainFile!, _hostApi);
        var pluginContext = new PluginContext(entry, _options);
        List<TContract> instances;
        Assembly main;
        try
        {
            main = EntryActivator.LoadMain(context, entry);
            instances = EntryActivator.CreateInstances<TContract>(main, entry, pluginContext);
            foreach (TContract instance in instances)
            {
                if (instance is IPluginLifecycle lifecycle)
                {
                    PluginException? error = await HookRunner.RunAsync(ct => lifecycle.InitializeAsync(pluginContext, ct), _options.InitializationTimeout,
                        entry.Id, entry.MainFile, "InitializeAsync", PluginErrorCode.InitializationFailed, PluginErrorCode.InitializationTimedOut, cancellationToken).ConfigureAwait(false);
                    if (error is not null)
                    {
                        throw error;
                    }
                }
            }
        }
        catch
        {
            // Nothing of a failed plugin stays loaded; its context goes when the last reference does.
            context.Unload();
            context.DeleteShadowCopies();
            throw;
        }
        var plugin = new LoadedPlugin<TContract>(entry, context, main, instances, pluginContext, _options, Forget);
        lock (_gate)
        {
            _plugins.Add(plugin);
        }
        if (start)
        {
            PluginException? error = await StartAsync(plugin, cancellationToken).ConfigureAwait(false);
            if (error is not null)
            {
                await plugin.UnloadAsync(CancellationToken.None).ConfigureAwait(false);
                throw error;
            }
        }
        _logger.LogInformation("Loaded plugin {PluginId} {Version} with {Count} entry instance(s)", entry.Id, entry.Version, instances.Count);
        return plugin;
    }

    private async Task<PluginException?> StartAsync(LoadedPlugin<TContract> plugin, CancellationToken cancellationToken)
    {
        foreach (TContract instance in plugin.Instances)
        {
            if (instance is IPluginLifecycle lifecycle)
            {
                PluginException? error = await HookRunner.RunAsync(lifecycle.StartAsync, _options.InitializationTimeout, plugin.Id, plugin.Entry.MainFile,
                    "StartAsync", PluginErrorCode.InitializationFailed, PluginErrorCode.InitializationTimedOut, cancellationToken).ConfigureAwait(false);
                if (error is not null)
                {
                    return error;
                }
            }
        }
        return null;
    }

    private void Forget(LoadedPlugin<TContract> plugin)
    {
        lock (_gate)
        {
            _plugins.Remove(plugin);
        }
    }
}
