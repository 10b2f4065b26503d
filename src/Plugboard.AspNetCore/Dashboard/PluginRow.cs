namespace Plugboard.AspNetCore.Dashboard;

/// <summary>One plugin as the dashboard shows it (serialized as JSON for the page and its live updates).</summary>
/// <param name="Id">The plugin id.</param>
/// <param name="Kind"><see cref="PluginKind"/>: Managed or Native.</param>
/// <param name="Version">The version serving (or last served), null when unknown.</param>
/// <param name="Isolation"><see cref="PluginIsolation"/>: InProcess or OutOfProcess.</param>
/// <param name="State">A <see cref="PluginState"/>, or Failed for a plugin that did not load.</param>
/// <param name="Loaded">True while the plugin is loaded, so it can be reloaded and unloaded.</param>
/// <param name="Loadable">True when the plugin was unloaded here and can be loaded again from its folder.</param>
/// <param name="Generation">How many versions the plugin has had since it loaded (1 before any reload).</param>
/// <param name="Faults">Its recent call failures.</param>
/// <param name="Failure">The latest load, reload, trust or fault error, while it stands.</param>
/// <param name="Reloads">Its reloads since the dashboard was mapped.</param>
/// <param name="LastUnload">The report of its last retired version (by unload or reload).</param>
internal sealed record PluginRow(string Id, string Kind, string? Version, string Isolation, string State, bool Loaded, bool Loadable, int Generation,
    FaultView Faults, ErrorView? Failure, ReloadHistory Reloads, UnloadView? LastUnload);

/// <summary>A typed Plugboard error: its PB code and what it says. The dashboard is for operators, so the full message is shown.</summary>
internal sealed record ErrorView(string Code, string Message, string Cause, string Fix)
{
    public static ErrorView Of(PluginException error) => new(error.CodeText, error.Message, error.Cause, error.Fix);
}

/// <summary>A plugin's recent call failures (<see cref="LoadedPlugin{TContract}.RecentErrors"/>) and whether they faulted it.</summary>
internal sealed record FaultView(bool Faulted, int Recent, string? Last);

/// <summary>How many reloads were tried and how the last one went.</summary>
internal sealed record ReloadHistory(int Count, int Failed, DateTimeOffset? LastAt, bool? LastSucceeded, string? LastFrom, string? LastTo, ErrorView? LastError);

/// <summary>An <see cref="UnloadReport"/>: collected or not, and what held the plugin when not.</summary>
internal sealed record UnloadView(DateTimeOffset At, string? Version, bool Collected, int Collections, double ElapsedMs, IReadOnlyList<string> HeldBy,
    string? Diagnosis, IReadOnlyList<string> StopErrors)
{
    public static UnloadView Of(UnloadReport report, string? version, DateTimeOffset at) => new(at, version, report.Collected, report.Collections,
        Math.Round(report.Elapsed.TotalMilliseconds, 1), [.. report.Suspects, .. report.Roots.Select(r => r.ToString())], report.Diagnosis,
        [.. report.StopErrors.Select(e => e.Message)]);
}
