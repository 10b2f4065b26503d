using Plugboard.Hosting;

namespace Plugboard.AspNetCore.Dashboard;

/// <summary>The dashboard's view of the <see cref="PluginHost{TContract}"/> of one contract and of its <see cref="IPluginSet{TContract}"/>'s failures.</summary>
internal sealed class PluginBoard<TContract>(PluginHost<TContract> host, IPluginSet<TContract> set) : IPluginBoard where TContract : class
{
    // The folder of every plugin this host has loaded, by id: where an unloaded plugin is loaded again from.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _folders = new(StringComparer.OrdinalIgnoreCase);

    public void Observe(PluginActivity activity)
    {
        foreach (LoadedPlugin<TContract> plugin in host.Plugins)
        {
            _folders[plugin.Id] = plugin.Entry.Directory;
        }
        host.PluginLoaded += (_, e) =>
        {
            if (Of(e.PluginId) is LoadedPlugin<TContract> loaded)
            {
                _folders[loaded.Id] = loaded.Entry.Directory;
            }
            activity.Loaded(e);
        };
        host.PluginReloaded += (_, e) => activity.Reloaded(e);
        host.PluginReloadFailed += (_, e) => activity.ReloadFailed(e);
        host.PluginUnloaded += (_, e) => activity.Unloaded(e);
        host.PluginFaulted += (_, e) => activity.Other(e);
        host.PluginAbandoned += (_, e) => activity.Other(e);
    }

    public IEnumerable<PluginRow> Rows(PluginActivity activity)
    {
        IReadOnlyDictionary<string, PluginException> failures = set.Failures;
        var loaded = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (LoadedPlugin<TContract> plugin in host.Plugins)
        {
            loaded.Add(plugin.Id);
            _folders[plugin.Id] = plugin.Entry.Directory;
            string kind = plugin.Entry.Kind.ToString();
            string? version = plugin.Entry.Version?.ToNormalizedString();
            string isolation = plugin.Isolation.ToString();
            activity.Remember(plugin.Id, kind, version, isolation);
            IReadOnlyList<PluginCodeException> recent = plugin.RecentErrors;
            var faults = new FaultView(plugin.IsFaulted, recent.Count, recent.Count > 0 ? $"{recent[^1].OriginalType}: {recent[^1].Message}" : null);
            yield return new PluginRow(plugin.Id, kind, version, isolation, plugin.State.ToString(), plugin.IsLoaded, !plugin.IsLoaded && CanLoad(plugin.Id), plugin.Generation, faults,
                failures.TryGetValue(plugin.Id, out PluginException? failure) ? ErrorView.Of(failure) : null,
                activity.ReloadsOf(plugin.Id), activity.LastUnloadOf(plugin.Id));
        }
        var none = new FaultView(false, 0, null);
        foreach ((string id, string kind, string? version, string isolation) in activity.UnloadedPlugins().Where(p => !loaded.Contains(p.Id)))
        {
            loaded.Add(id);
            yield return new PluginRow(id, kind, version, isolation, nameof(PluginState.Unloaded), false, CanLoad(id), 0, none,
                failures.TryGetValue(id, out PluginException? failure) ? ErrorView.Of(failure) : null, activity.ReloadsOf(id), activity.LastUnloadOf(id));
        }
        // Plugins (or whole folders) that did not load: the error says why.
        foreach ((string id, PluginException failure) in failures.Where(f => !loaded.Contains(f.Key)))
        {
            yield return new PluginRow(id, "Unknown", null, "Unknown", "Failed", false, false, 0, none,
                ErrorView.Of(failure), activity.ReloadsOf(id), activity.LastUnloadOf(id));
        }
    }

    public Task<ReloadResult>? Reload(string id, CancellationToken cancellationToken) => Find(id)?.ReloadAsync(cancellationToken);

    public Task<UnloadReport>? Unload(string id, CancellationToken cancellationToken) => Find(id)?.UnloadAsync(cancellationToken);

    public bool CanLoad(string id) => _folders.ContainsKey(id) && Find(id) is null;

    public Task<(string? Version, PluginException? Error)>? Load(string id, CancellationToken cancellationToken) =>
        Find(id) is null && _folders.TryGetValue(id, out string? folder) ? LoadAsync(folder, cancellationToken) : null;

    private async Task<(string? Version, PluginException? Error)> LoadAsync(string folder, CancellationToken cancellationToken)
    {
        try
        {
            // Inspected again: the folder may hold another build than the one unloaded, and it is checked like any load.
            LoadedPlugin<TContract> plugin = await host.LoadAsync(host.Inspect(folder), cancellationToken).ConfigureAwait(false);
            return (plugin.Entry.Version?.ToNormalizedString(), null);
        }
        catch (PluginException error)
        {
            return (null, error);
        }
    }

    /// <summary>The host's plugin of that id, loaded or not.</summary>
    private LoadedPlugin<TContract>? Of(string id) => host.Plugins.FirstOrDefault(p => string.Equals(p.Id, id, StringComparison.OrdinalIgnoreCase));

    /// <summary>The host's loaded plugin of that id (a plugin unloaded and loaded again may be listed twice).</summary>
    private LoadedPlugin<TContract>? Find(string id) => host.Plugins.FirstOrDefault(p => string.Equals(p.Id, id, StringComparison.OrdinalIgnoreCase) && p.IsLoaded);
}
