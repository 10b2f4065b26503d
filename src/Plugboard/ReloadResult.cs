namespace Plugboard;

/// <summary>The outcome of a hot reload: either the new version serves and the old one's unload report says whether it was collected, or the old version keeps serving and <see cref="Error"/> says why.</summary>
public sealed class ReloadResult
{
    internal ReloadResult(string pluginId, string? previousVersion, string? newVersion, PluginException? error, UnloadReport? previousUnload, TimeSpan elapsed, IReadOnlyList<ReloadResult> dependents)
    {
        PluginId = pluginId;
        PreviousVersion = previousVersion;
        NewVersion = newVersion;
        Error = error;
        PreviousUnload = previousUnload;
        Elapsed = elapsed;
        Dependents = dependents;
    }

    /// <summary>The plugin reloaded.</summary>
    public string PluginId { get; }

    /// <summary>True when the new version is serving.</summary>
    public bool Succeeded => Error is null;

    /// <summary>The version that served before.</summary>
    public string? PreviousVersion { get; }

    /// <summary>The version serving now (null when the reload failed).</summary>
    public string? NewVersion { get; }

    /// <summary>Why the reload failed; the previous version keeps serving.</summary>
    public PluginException? Error { get; }

    /// <summary>The previous version's unload report (null when the reload failed).</summary>
    public UnloadReport? PreviousUnload { get; }

    /// <summary>From the start of the reload until the new version served and the old one was retired.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>Reloads of plugins that depend on this one, restarted after it.</summary>
    public IReadOnlyList<ReloadResult> Dependents { get; }

    /// <inheritdoc />
    public override string ToString() => Succeeded
        ? $"{PluginId}: reloaded {PreviousVersion} -> {NewVersion} in {Elapsed.TotalMilliseconds:F0} ms" + PreviousUnload switch
        {
            null => string.Empty,
            { Collected: true } => "; old version collected",
            _ => "; old version NOT collected: " + string.Join("; ", PreviousUnload.Suspects),
        }
        : $"{PluginId}: reload failed, {PreviousVersion} keeps serving: {Error!.Message}";
}
