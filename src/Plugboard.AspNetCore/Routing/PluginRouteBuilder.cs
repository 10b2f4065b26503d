using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Plugboard.AspNetCore.Routing;

/// <summary>
/// The route builder one plugin version maps on (through a group at its prefix): it collects the version's data
/// sources apart from the application's, so they can be published, replaced and dropped as one set.
/// </summary>
internal sealed class PluginRouteBuilder(IServiceProvider services) : IEndpointRouteBuilder
{
    public IServiceProvider ServiceProvider { get; } = services;

    public ICollection<EndpointDataSource> DataSources { get; } = [];

    public IApplicationBuilder CreateApplicationBuilder() => new ApplicationBuilder(ServiceProvider);
}
