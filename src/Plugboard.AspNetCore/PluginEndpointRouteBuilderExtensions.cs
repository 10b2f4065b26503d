using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Plugboard.AspNetCore.Internal;
using Plugboard.AspNetCore.Routing;

namespace Plugboard.AspNetCore;

/// <summary>Maps the web plugins' endpoints into an application's routing.</summary>
public static class PluginEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Adds the endpoints of every web plugin (see <see cref="WebPluginServiceCollectionExtensions.AddWebPlugins"/>)
    /// to the application's routing, and keeps them current: a plugin's endpoints appear when it loads, are replaced
    /// when it reloads, and are gone from the next request on after it unloads (404).
    /// </summary>
    /// <param name="endpoints">The application (or any route builder of it).</param>
    /// <returns>A builder for conventions applied to every plugin endpoint, such as <c>RequireAuthorization()</c> or <c>RequireCors()</c>; add them before the plugins load.</returns>
    /// <exception cref="InvalidOperationException"><c>AddWebPlugins()</c> was not called.</exception>
    public static IEndpointConventionBuilder MapPlugins(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        PluginEndpointDataSource source = endpoints.ServiceProvider.GetService<PluginEndpointDataSource>()
            ?? throw new InvalidOperationException("MapPlugins() needs services.AddPlugboard<TContract>().AddWebPlugins() first.");
        if (!endpoints.DataSources.Contains(source))
        {
            endpoints.DataSources.Add(source);
        }
        foreach (IWebPluginBinding binding in endpoints.ServiceProvider.GetServices<IWebPluginBinding>())
        {
            binding.Start(endpoints.ServiceProvider);
        }
        return source;
    }
}
