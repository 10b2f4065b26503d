using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Plugboard.AspNetCore.Dashboard;

namespace Plugboard.AspNetCore;

/// <summary>Maps the plugin dashboard: a page listing every plugin of the application, with reload and unload buttons, updated live.</summary>
public static class PlugboardDashboardEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Serves the plugin dashboard at <paramref name="pattern"/>: a self-contained page (nothing fetched from elsewhere)
    /// listing the plugins of every contract added with <c>AddPlugboard&lt;TContract&gt;().AddWebPlugins()</c> — id,
    /// kind, version, isolation, state, faults, reloads, last unload report — with buttons to reload and unload each,
    /// updated live through Server-Sent Events driven by the hosts' plugin events. Under it: <c>api/plugins</c> (GET,
    /// JSON), <c>api/events</c> (GET, live updates), <c>api/plugins/{id}/reload</c> and <c>api/plugins/{id}/unload</c>
    /// (POST, with the page's antiforgery token in its header). Every one of them requires authorization:
    /// <see cref="PlugboardDashboardOptions.AuthorizationPolicy"/>, or the host's default policy.
    /// </summary>
    /// <param name="endpoints">The application (or any route builder of it).</param>
    /// <param name="pattern">The dashboard's prefix. Default <c>/plugboard</c>.</param>
    /// <param name="configure">Changes to the options after the <c>Plugboard:Web:Dashboard</c> section was bound.</param>
    /// <returns>A builder for conventions on every dashboard endpoint (e.g. a further <c>RequireAuthorization</c> or <c>RequireHost</c>).</returns>
    /// <exception cref="InvalidOperationException">
    /// <c>AddWebPlugins()</c> was not called; the host has no authorization services (<c>AddAuthorization()</c>) or
    /// does not define the policy named; the antiforgery options name no header.
    /// </exception>
    public static IEndpointConventionBuilder MapPlugboardDashboard(this IEndpointRouteBuilder endpoints, string pattern = "/plugboard", Action<PlugboardDashboardOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(pattern);
        IServiceProvider services = endpoints.ServiceProvider;
        List<IPluginBoard> boards = [.. services.GetServices<IPluginBoard>()];
        if (boards.Count == 0)
        {
            throw new InvalidOperationException("MapPlugboardDashboard() needs services.AddPlugboard<TContract>().AddWebPlugins() first.");
        }
        var options = new PlugboardDashboardOptions();
        services.GetService<IConfiguration>()?.GetSection(PlugboardDashboardOptions.SectionName).Bind(options);
        configure?.Invoke(options);
        if (options.MaxLiveConnections < 1 || options.RefreshInterval <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"The plugin dashboard needs MaxLiveConnections of at least 1 and a positive RefreshInterval (got {options.MaxLiveConnections} and {options.RefreshInterval}).");
        }
        // Never anonymous: it shows the plugins' errors and unloads them. Refused here, not at the first request.
        IAuthorizationPolicyProvider policies = services.GetService<IAuthorizationPolicyProvider>()
            ?? throw new InvalidOperationException("The plugin dashboard requires authorization: add services.AddAuthorization() (and an authentication scheme), then app.UseAuthorization().");
        if (options.AuthorizationPolicy is string name && policies.GetPolicyAsync(name).GetAwaiter().GetResult() is null)
        {
            throw new InvalidOperationException($"The plugin dashboard requires the authorization policy '{name}' (PlugboardDashboardOptions.AuthorizationPolicy), which the host does not define: add it with services.AddAuthorization(o => o.AddPolicy(\"{name}\", ...)).");
        }
        string tokenHeader = services.GetRequiredService<IOptions<AntiforgeryOptions>>().Value.HeaderName
            ?? throw new InvalidOperationException("The plugin dashboard sends its antiforgery token in a header: AntiforgeryOptions.HeaderName must not be null.");

        var activity = new PluginActivity(services.GetService<TimeProvider>() ?? TimeProvider.System);
        foreach (IPluginBoard board in boards)
        {
            board.Observe(activity);
        }
        var feed = new DashboardFeed(activity, options.MaxLiveConnections);
        var dashboard = new DashboardEndpoints(boards, activity, feed, options, services.GetRequiredService<IAntiforgery>(), tokenHeader,
            services.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None,
            services.GetRequiredService<ILoggerFactory>().CreateLogger("Plugboard.AspNetCore.Dashboard"));
        RouteGroupBuilder group = endpoints.MapGroup(pattern);
        if (options.AuthorizationPolicy is string policy)
        {
            group.RequireAuthorization(policy);
        }
        else
        {
            group.RequireAuthorization();
        }
        group.WithMetadata(dashboard);
        group.ExcludeFromDescription();
        dashboard.Map(group);
        return group;
    }
}
