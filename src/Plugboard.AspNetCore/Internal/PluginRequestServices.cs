using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Plugboard.Hosting;

namespace Plugboard.AspNetCore.Internal;

/// <summary>
/// The services a request sees while a plugin serves it: the plugin version's own services, then the request's.
/// Installed as the request's <see cref="IServiceProvidersFeature"/> for the plugin's call and the request's own
/// feature put back after. The request's DI scope is created only when a service is looked up through it, as
/// ASP.NET Core does for the host's endpoints: creating and disposing a scope no handler asked for was most of what
/// a plugin endpoint cost over the host's.
/// </summary>
internal sealed class PluginRequestServices : IServiceProvidersFeature
{
    private readonly HttpContext _http;
    private readonly IServiceProvidersFeature _request;

    private PluginRequestServices(HttpContext http, IServiceProvidersFeature request, PluginServiceScope plugin)
    {
        _http = http;
        _request = request;
        Scope = plugin.ForRequest(new OnDemand(request));
        RequestServices = Scope;
    }

    /// <summary>The plugin's scope of this request: dispose it when the plugin's call ends.</summary>
    public PluginServiceScope Scope { get; }

    /// <summary>What the plugin's code gets as <c>HttpContext.RequestServices</c> (it may replace it for its own call).</summary>
    public IServiceProvider RequestServices { get; set; }

    /// <summary>Installs the plugin's services for the request's plugin call.</summary>
    public static PluginRequestServices Install(HttpContext http, PluginServiceScope plugin)
    {
        IServiceProvidersFeature request = http.Features.Get<IServiceProvidersFeature>() ?? AddRequestFeature(http);
        var services = new PluginRequestServices(http, request, plugin);
        http.Features.Set<IServiceProvidersFeature>(services);
        return services;
    }

    /// <summary>Puts the request's own services back once the plugin's call ended.</summary>
    public void Uninstall() => _http.Features.Set(_request);

    // The feature HttpContext would create on first access to RequestServices, created now without its scope.
    private static IServiceProvidersFeature AddRequestFeature(HttpContext http)
    {
        if (http is DefaultHttpContext context)
        {
            var feature = new RequestServicesFeature(http, context.ServiceScopeFactory);
            http.Features.Set<IServiceProvidersFeature>(feature);
            return feature;
        }
        IServiceProvider services = http.RequestServices;
        return http.Features.Get<IServiceProvidersFeature>() ?? new ServiceProvidersFeature { RequestServices = services };
    }

    /// <summary>The request's services, asked for (and so created) only when a service is looked up.</summary>
    private sealed class OnDemand(IServiceProvidersFeature request) : IServiceProvider
    {
        public object? GetService(Type serviceType) => request.RequestServices.GetService(serviceType);
    }
}
