namespace Plugboard.Hosting;

/// <summary>What a host's plugins are doing, for health checks and status pages.</summary>
/// <param name="started">True once the plugins were loaded at start, false before and after stop.</param>
/// <param name="loaded">Loaded plugin ids with their versions.</param>
/// <param name="failed">Plugins that failed (to load, reload, or pass the lock file), by id, with their latest error.</param>
/// <param name="reloading">True while a changed plugin folder is waiting to be, or being, reloaded.</param>
public sealed class PluginHealth(bool started, IReadOnlyDictionary<string, string> loaded, IReadOnlyDictionary<string, PluginException> failed, bool reloading)
{
    /// <summary>True once the plugins were loaded at start, false before and after stop.</summary>
    public bool Started { get; } = started;

    /// <summary>Loaded plugin ids with their versions.</summary>
    public IReadOnlyDictionary<string, string> Loaded { get; } = loaded;

    /// <summary>Plugins that failed (to load, reload, or pass the lock file), by id, with their latest error.</summary>
    public IReadOnlyDictionary<string, PluginException> Failed { get; } = failed;

    /// <summary>True while a changed plugin folder is waiting to be, or being, reloaded.</summary>
    public bool Reloading { get; } = reloading;

    /// <summary>Plugins abandoned after an initialize, start or stop hook timed out, whose context is still in memory.</summary>
    public IReadOnlyList<AbandonedPlugin> Abandoned { get; init; } = [];

    /// <summary>Healthy when started with no failures, degraded with some failures or during a reload, unhealthy when not started or nothing loaded because of failures.</summary>
    public PluginHealthStatus Status => !Started ? PluginHealthStatus.Unhealthy
        : Failed.Count > 0 && Loaded.Count == 0 ? PluginHealthStatus.Unhealthy
        : Failed.Count > 0 || Reloading || Abandoned.Count > 0 ? PluginHealthStatus.Degraded
        : PluginHealthStatus.Healthy;

    /// <summary>One line: counts and the first error.</summary>
    public string Description =>
        (Started ? $"{Loaded.Count} plugin(s) loaded, {Failed.Count} failed" : "plugins not started")
        + (Reloading ? ", reload under way" : string.Empty)
        + (Abandoned.Count > 0 ? $", {Abandoned.Count} abandoned plugin context(s)" : string.Empty)
        + (Failed.Count > 0 ? $"; {Failed.First().Value.Message}" : string.Empty);

    /// <inheritdoc />
    public override string ToString() => $"{Status}: {Description}";
}

/// <summary>The overall state of a host's plugins.</summary>
public enum PluginHealthStatus
{
    /// <summary>Not started, or every plugin failed.</summary>
    Unhealthy,

    /// <summary>Some plugins failed, a reload is under way, or abandoned plugin contexts are still in memory.</summary>
    Degraded,

    /// <summary>Every plugin found is loaded.</summary>
    Healthy,
}
