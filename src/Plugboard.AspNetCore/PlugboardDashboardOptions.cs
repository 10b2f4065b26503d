namespace Plugboard.AspNetCore;

/// <summary>
/// How <see cref="PlugboardDashboardEndpointRouteBuilderExtensions.MapPlugboardDashboard"/> serves the plugin dashboard:
/// the authorization policy it requires and the bounds of its live updates. Bound from the
/// <c>Plugboard:Web:Dashboard</c> configuration section, then changed by the mapping's <c>configure</c> action.
/// </summary>
public sealed class PlugboardDashboardOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = "Plugboard:Web:Dashboard";

    /// <summary>
    /// The authorization policy every dashboard request needs (page, API, live updates). Null: the host's default
    /// policy (<c>AuthorizationOptions.DefaultPolicy</c>, an authenticated user unless the host changed it). The
    /// dashboard is never anonymous: mapping it fails when the host has no authorization services or the policy is
    /// not defined.
    /// </summary>
    public string? AuthorizationPolicy { get; set; }

    /// <summary>How many pages may hold a live-update connection at once; one more is answered 503. Default 16.</summary>
    public int MaxLiveConnections { get; set; } = 16;

    /// <summary>
    /// How often a live connection looks for changes no plugin event announces (a plugin's recent errors below its
    /// fault threshold); plugin events are sent at once. Default 2 seconds.
    /// </summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(2);
}
