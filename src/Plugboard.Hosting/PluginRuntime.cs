using System.Collections;
using System.Reflection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Plugboard.Trust;

namespace Plugboard.Hosting;

/// <summary>
/// Owns the <see cref="PluginHost{TContract}"/> of a generic host: loads every plugin folder at start (after the lock
/// file check), watches them for hot reload, unloads at stop, and keeps the failures and state for health.
/// </summary>
internal sealed class PluginRuntime<TContract> : IPluginSet<TContract>, IAsyncDisposable where TContract : class
{
    private readonly PlugboardOptions _options;
    private readonly ILogger _logger;
    private readonly string _contentRoot;
    private readonly Dictionary<string, PluginException> _failures = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<PluginDirectoryWatcher<TContract>> _watchers = [];
    private readonly Lock _gate = new();
    private volatile bool _started;

    public PluginRuntime(IOptions<PlugboardOptions> options, IServiceProvider services, IEnumerable<PluginHostConfiguration<TContract>> configurations,
        ILoggerFactory? loggerFactory = null, IHostEnvironment? environment = null)
    {
        _options = options.Value;
        _logger = (ILogger?)loggerFactory?.CreateLogger("Plugboard.Hosting") ?? NullLogger.Instance;
        _contentRoot = environment?.ContentRootPath ?? AppContext.BaseDirectory;
        EntryFactory = new ServiceProviderEntryFactory(services);
        var hostOptions = new PluginHostOptions
        {
            Services = services,
            LoggerFactory = loggerFactory,
            EntryFactory = EntryFactory,
            InitializationTimeout = _options.InitializationTimeout,
            StopTimeout = _options.StopTimeout,
            DrainTimeout = _options.DrainTimeout,
            UnloadCollectionAttempts = _options.UnloadCollectionAttempts,
            FaultThreshold = _options.FaultThreshold,
            Settings = id => _options.Settings.TryGetValue(id, out IDictionary<string, string>? settings) ? new Dictionary<string, string>(settings, StringComparer.OrdinalIgnoreCase) : null,
        };
        if (_options.LockFile is not null || _options.AllowedFolders.Count > 0 || _options.StrictPermissions || _options.IsolateUnlistedPlugins)
        {
            var trust = new PluginTrustPolicy
            {
                LockFilePath = _options.LockFile is string lockFile ? Path.GetFullPath(lockFile, _contentRoot) : null,
                Strict = _options.StrictPermissions,
                IsolateUnlistedPlugins = _options.IsolateUnlistedPlugins,
            };
            foreach (string folder in _options.AllowedFolders)
            {
                trust.AllowedDirectories.Add(Path.GetFullPath(folder, _contentRoot));
            }
            hostOptions.Trust = trust;
        }
        _options.Isolation.CopyTo(hostOptions.Isolation);
        // Plugins that register their own services see the host's IServiceCollection and IPluginServiceRegistration.
        hostOptions.SharedAssemblies.Add(typeof(IPluginServiceRegistration).Assembly);
        foreach (string name in _options.SharedAssemblies)
        {
            hostOptions.SharedAssemblies.Add(Assembly.Load(new AssemblyName(name)));
        }
        foreach (string name in _options.HostApiAssemblies)
        {
            hostOptions.HostApiAssemblies.Add(Assembly.Load(new AssemblyName(name)));
        }
        foreach (PluginHostConfiguration<TContract> configuration in configurations)
        {
            configuration.Apply(hostOptions);
        }
        Host = new PluginHost<TContract>(hostOptions);
        Host.PluginLoaded += (_, e) => Forget(e.PluginId);
        Host.PluginReloaded += (_, e) => Forget(e.PluginId);
        Host.PluginFaulted += (_, e) =>
        {
            if (e.Error is PluginException error)
            {
                Remember(e.PluginId, error);
            }
        };
        Host.PluginReloadFailed += (_, e) =>
        {
            if (e.Error is PluginException error)
            {
                Remember(e.PluginId, error);
            }
        };
    }

    public PluginHost<TContract> Host { get; }

    public ServiceProviderEntryFactory EntryFactory { get; }

    public IReadOnlyList<TContract> Current => [.. Host.Plugins.SelectMany(p => p.Instances)];

    public IReadOnlyList<LoadedPlugin<TContract>> Plugins => Host.Plugins;

    public IReadOnlyDictionary<string, PluginException> Failures
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, PluginException>(_failures, StringComparer.OrdinalIgnoreCase);
            }
        }
    }

    public PluginHealth Health
    {
        get
        {
            var loaded = Host.Plugins.ToDictionary(p => p.Id, p => p.Entry.Version?.ToNormalizedString() ?? "?", StringComparer.OrdinalIgnoreCase);
            IReadOnlyDictionary<string, PluginException> failed = Failures;
            bool reloading;
            lock (_gate)
            {
                reloading = _watchers.Any(w => w.IsBusy);
            }
            return new PluginHealth(_started, loaded, failed, reloading) { Abandoned = Host.AbandonedPlugins };
        }
    }

    public IReadOnlyList<TResult> InvokeAll<TResult>(Func<TContract, TResult> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var results = new List<TResult>();
        foreach (LoadedPlugin<TContract> plugin in Host.Plugins)
        {
            try
            {
                results.Add(plugin.Invoke(call));
            }
            catch (PluginException ex) when (ex.Code is PluginErrorCode.PluginUnloaded or PluginErrorCode.PluginFaulted)
            {
                // Unloaded between listing and calling, or faulted (reported in Failures): not part of the set now.
            }
        }
        return results;
    }

    public IEnumerator<TContract> GetEnumerator() => Current.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (string folder in _options.PluginFolders.Select(f => Path.GetFullPath(f, _contentRoot)))
        {
            PluginCatalog catalog;
            try
            {
                catalog = Host.Discover(folder);
            }
            catch (PluginException ex)
            {
                Internal.Log.FolderFailed(_logger, ex.CodeText, folder, ex.Message);
                Remember(folder, ex);
                continue;
            }
            PluginLoadResult<TContract> result = await Host.LoadAllAsync(catalog, cancellationToken).ConfigureAwait(false);
            foreach (PluginFailure failure in result.Failed)
            {
                Remember(failure.Entry.Id, failure.Error);
            }
            Internal.Log.FolderLoaded(_logger, folder, result.Loaded.Count, result.Failed.Count, result.Skipped.Count);
            // A cancelled start ends here (the generic host aborts its start); what did start unloads at stop or disposal.
            cancellationToken.ThrowIfCancellationRequested();
            if (_options.HotReload)
            {
                lock (_gate)
                {
                    _watchers.Add(Host.Watch(folder, _options.ReloadDebounce));
                }
            }
        }
        _started = true;
    }

    public async Task StopAsync()
    {
        _started = false;
        List<PluginDirectoryWatcher<TContract>> watchers;
        lock (_gate)
        {
            watchers = [.. _watchers];
            _watchers.Clear();
        }
        foreach (PluginDirectoryWatcher<TContract> watcher in watchers)
        {
            await watcher.DisposeAsync().ConfigureAwait(false);
        }
        // PluginHost logs each unload report (information, or a warning when not collected): logged once, there.
        await Host.UnloadAllAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_started || Host.Plugins.Count > 0)
        {
            await StopAsync().ConfigureAwait(false);
        }
    }

    private void Remember(string key, PluginException error)
    {
        lock (_gate)
        {
            _failures[key] = error;
        }
    }

    private void Forget(string id)
    {
        lock (_gate)
        {
            _failures.Remove(id);
        }
    }
}
