namespace Plugboard.AspNetCore.Dashboard;

/// <summary>
/// The live connections of one dashboard (Server-Sent Events): at most <see cref="PlugboardDashboardOptions.MaxLiveConnections"/>
/// at once, each woken when a plugin event was recorded. A connection holds one pending wake-up at most and always
/// sends the state of now, so a slow page costs no memory and misses nothing but states already replaced.
/// </summary>
internal sealed class DashboardFeed
{
    private readonly Lock _gate = new();
    private readonly HashSet<Connection> _connections = [];
    private readonly int _max;

    public DashboardFeed(PluginActivity activity, int maxConnections)
    {
        _max = maxConnections;
        activity.Changed += WakeAll;
    }

    /// <summary>The connections open now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _connections.Count;
            }
        }
    }

    /// <summary>A new connection, or null when <see cref="PlugboardDashboardOptions.MaxLiveConnections"/> are open.</summary>
    public Connection? TryOpen()
    {
        lock (_gate)
        {
            if (_connections.Count >= _max)
            {
                return null;
            }
            var connection = new Connection(this);
            _connections.Add(connection);
            return connection;
        }
    }

    private void WakeAll()
    {
        lock (_gate)
        {
            foreach (Connection connection in _connections)
            {
                connection.Wake();
            }
        }
    }

    private void Close(Connection connection)
    {
        lock (_gate)
        {
            _connections.Remove(connection);
        }
    }

    /// <summary>One page's live connection; dispose it when the request ends.</summary>
    internal sealed class Connection(DashboardFeed feed) : IDisposable
    {
        private readonly SemaphoreSlim _wake = new(0, 1);

        /// <summary>Waits for a plugin event or <paramref name="timeout"/>, whichever comes first.</summary>
        public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _wake.WaitAsync(timeout, cancellationToken);

        public void Wake()
        {
            try
            {
                _wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // A wake-up is already pending: the page will send the newest state anyway.
            }
        }

        public void Dispose()
        {
            feed.Close(this);
            _wake.Dispose();
        }
    }
}
