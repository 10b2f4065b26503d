using Microsoft.Extensions.Logging;

namespace Plugboard;

/// <summary>
/// Watches a plugins folder and hot-reloads the plugin whose folder changed, once the folder has been quiet for the
/// debounce time. Handles the write patterns of build tools: in-place writes, delete and recreate, temp file and
/// rename, a whole folder replaced. Reloads run one at a time; outcomes are reported through the host's events.
/// </summary>
/// <typeparam name="TContract">The host's contract type.</typeparam>
public sealed class PluginDirectoryWatcher<TContract> : IAsyncDisposable where TContract : class
{
    private readonly PluginHost<TContract> _host;
    private readonly string _root;
    private readonly TimeSpan _debounce;
    private readonly ILogger _logger;
    private readonly FileSystemWatcher _watcher;
    private readonly Dictionary<string, Timer> _pending = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _serial = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private int _inProgress;
    private bool _disposed;

    internal PluginDirectoryWatcher(PluginHost<TContract> host, string root, TimeSpan debounce, ILogger logger)
    {
        if (!System.IO.Directory.Exists(root))
        {
            throw new PluginException(PluginErrorCode.DirectoryNotFound, Path.GetFileName(root), root,
                "The plugins folder to watch does not exist.", "Create it, or watch the folder plugins are built into.");
        }
        _host = host;
        _root = Path.TrimEndingDirectorySeparator(root);
        _debounce = debounce;
        _logger = logger;
        _watcher = new FileSystemWatcher(_root)
        {
            IncludeSubdirectories = true,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
            InternalBufferSize = 64 * 1024,
        };
        _watcher.Changed += (_, e) => Touch(e.FullPath);
        _watcher.Created += (_, e) => Touch(e.FullPath);
        _watcher.Deleted += (_, e) => Touch(e.FullPath);
        _watcher.Renamed += (_, e) =>
        {
            Touch(e.OldFullPath);
            Touch(e.FullPath);
        };
        _watcher.Error += (_, e) => Internal.Log.WatchLostEvents(_logger, e.GetException(), _root);
        _watcher.EnableRaisingEvents = true;
    }

    /// <summary>The folder watched.</summary>
    public string Directory => _root;

    /// <summary>Quiet time after the last change before a plugin reloads.</summary>
    public TimeSpan Debounce => _debounce;

    /// <summary>True while changes are waiting for their debounce or a reload is running.</summary>
    public bool IsBusy
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count > 0 || Volatile.Read(ref _inProgress) > 0;
            }
        }
    }

    /// <summary>Stops watching and waits for a reload in progress.</summary>
    /// <returns>A task that completes when the watcher is idle.</returns>
    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            foreach (Timer timer in _pending.Values)
            {
                timer.Dispose();
            }
            _pending.Clear();
        }
        _watcher.EnableRaisingEvents = false;
        _watcher.Dispose();
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _serial.WaitAsync().ConfigureAwait(false);
        _serial.Release();
        _stopping.Dispose();
    }

    private void Touch(string path)
    {
        string relative = Path.GetRelativePath(_root, path);
        if (relative == "." || relative.StartsWith("..", StringComparison.Ordinal))
        {
            return;
        }
        string folder = Path.Combine(_root, relative.Split(Path.DirectorySeparatorChar, 2)[0]);
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            if (_pending.TryGetValue(folder, out Timer? timer))
            {
                timer.Change(_debounce, Timeout.InfiniteTimeSpan);
            }
            else
            {
                _pending[folder] = new Timer(_ => _ = FireAsync(folder), null, _debounce, Timeout.InfiniteTimeSpan);
            }
        }
    }

    private async Task FireAsync(string folder)
    {
        lock (_gate)
        {
            if (_disposed || !_pending.Remove(folder, out Timer? timer))
            {
                return;
            }
            timer.Dispose();
            Interlocked.Increment(ref _inProgress);
        }
        try
        {
            await _serial.WaitAsync(_stopping.Token).ConfigureAwait(false);
            try
            {
                if (Trust.DeployMarker.IsPresent(folder))
                {
                    // A deploy is updating the folder: its last step deletes the marker, a change that brings the
                    // watcher back here, so the folder is read once, whole.
                    Internal.Log.DeployInProgress(_logger, folder, Trust.DeployMarker.FileName);
                    return;
                }
                LoadedPlugin<TContract>? plugin = _host.Plugins.FirstOrDefault(p => string.Equals(Path.TrimEndingDirectorySeparator(p.Entry.Directory), folder, StringComparison.Ordinal));
                if (plugin is not null)
                {
                    if (System.IO.Directory.Exists(folder))
                    {
                        await plugin.ReloadAsync(_stopping.Token).ConfigureAwait(false);
                    }
                    else
                    {
                        Internal.Log.FolderDeleted(_logger, plugin.Id);
                    }
                }
                else if (System.IO.Directory.Exists(folder))
                {
                    await _host.LoadNewAsync(folder, _stopping.Token).ConfigureAwait(false);
                }
            }
            finally
            {
                _serial.Release();
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            Internal.Log.WatchReactionFailed(_logger, ex, folder);
        }
        finally
        {
            Interlocked.Decrement(ref _inProgress);
        }
    }
}
