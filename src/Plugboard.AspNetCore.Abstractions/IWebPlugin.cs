using Microsoft.AspNetCore.Routing;

namespace Plugboard.AspNetCore;

/// <summary>
/// Implemented by a plugin's entry type to contribute minimal-API endpoints to a web host. The host calls
/// <see cref="MapEndpoints"/> once per plugin version, when the version loads or replaces another, with a route
/// builder already scoped to the plugin's prefix (by default <c>/plugins/{id}</c>): <c>endpoints.MapGet("/hello", ...)</c>
/// answers at <c>/plugins/{id}/hello</c>. The endpoints are removed when the version unloads or is replaced.
/// </summary>
/// <example>
/// <code>
/// public sealed class Greeter : IWebPlugin
/// {
///     public void MapEndpoints(IEndpointRouteBuilder endpoints) =&gt;
///         endpoints.MapGet("/hello/{name}", (string name) =&gt; $"hello {name}");
/// }
/// </code>
/// </example>
public interface IWebPlugin
{
    /// <summary>Maps the plugin's endpoints. Keep no reference to <paramref name="endpoints"/> after returning.</summary>
    /// <param name="endpoints">A route builder scoped to the plugin's prefix; its <see cref="IEndpointRouteBuilder.ServiceProvider"/> resolves the plugin's own services, then the host's.</param>
    void MapEndpoints(IEndpointRouteBuilder endpoints);
}
