namespace Plugboard.AspNetCore.Dashboard;

/// <summary>
/// What the dashboard remembers of each plugin from the host's events since it was mapped: its reloads (count, the
/// last one's time, outcome and error), the report of its last retired version, whether it was unloaded, and the
/// facts of a plugin no longer loaded (kind, version, isolation). Tells the live feed of every change.
/// </summary>
internal sealed class PluginActivity(TimeProvider clock)
{
    private readonly Dictionary<string, Record> _plugins = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _gate = new();

    /// <summary>Raised after every recorded event, on the thread that raised the host's event.</summary>
    public event Action? Changed;

    public void Loaded(PluginEventArgs e) => Update(e.PluginId, r => r.Unloaded = false);

    public void Reloaded(PluginEventArgs e) => Update(e.PluginId, r =>
    {
        r.Reloads++;
        r.LastReload = (clock.GetUtcNow(), true, e.PreviousVersion, e.Version, null);
        if (e.Unload is UnloadReport report)
        {
            r.LastUnload = UnloadView.Of(report, e.PreviousVersion, clock.GetUtcNow());
        }
    });

    public void ReloadFailed(PluginEventArgs e) => Update(e.PluginId, r =>
    {
        r.Reloads++;
        r.FailedReloads++;
        r.LastReload = (clock.GetUtcNow(), false, e.Version, null, e.Error is PluginException error ? ErrorView.Of(error) : null);
    });

    public void Unloaded(PluginEventArgs e) => Update(e.PluginId, r =>
    {
        r.Unloaded = true;
        if (e.Unload is UnloadReport report)
        {
            r.LastUnload = UnloadView.Of(report, e.Version, clock.GetUtcNow());
        }
    });

    public void Other(PluginEventArgs e) => Update(e.PluginId, _ => { });

    /// <summary>Keeps what a loaded plugin is, to show it once unloaded.</summary>
    public void Remember(string id, string kind, string? version, string isolation)
    {
        lock (_gate)
        {
            Record record = RecordOf(id);
            record.Facts = (kind, version, isolation);
        }
    }

    public ReloadHistory ReloadsOf(string id)
    {
        lock (_gate)
        {
            return _plugins.TryGetValue(id, out Record? r) ? r.History() : new ReloadHistory(0, 0, null, null, null, null, null);
        }
    }

    public UnloadView? LastUnloadOf(string id)
    {
        lock (_gate)
        {
            return _plugins.TryGetValue(id, out Record? r) ? r.LastUnload : null;
        }
    }

    /// <summary>The plugins unloaded (and not loaded again) with what they were.</summary>
    public IReadOnlyList<(string Id, string Kind, string? Version, string Isolation)> UnloadedPlugins()
    {
        lock (_gate)
        {
            return [.. _plugins.Where(p => p.Value.Unloaded && p.Value.Facts is not null)
                .Select(p => (p.Key, p.Value.Facts!.Value.Kind, p.Value.Facts.Value.Version, p.Value.Facts.Value.Isolation))];
        }
    }

    private void Update(string id, Action<Record> change)
    {
        lock (_gate)
        {
            change(RecordOf(id));
        }
        Changed?.Invoke();
    }

    private Record RecordOf(string id)
    {
        if (!_plugins.TryGetValue(id, out Record? record))
        {
            _plugins[id] = record = new Record();
        }
        return record;
    }

    private sealed class Record
    {
        public int Reloads { get; set; }

        public int FailedReloads { get; set; }

        public (DateTimeOffset At, bool Succeeded, string? From, string? To, ErrorView? Error)? LastReload { get; set; }

        public UnloadView? LastUnload { get; set; }

        public bool Unloaded { get; set; }

        public (string Kind, string? Version, string Isolation)? Facts { get; set; }

        public ReloadHistory History() => new(Reloads, FailedReloads, LastReload?.At, LastReload?.Succeeded, LastReload?.From, LastReload?.To, LastReload?.Error);
    }
}
