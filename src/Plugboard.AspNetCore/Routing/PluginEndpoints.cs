using Microsoft.AspNetCore.Http;

namespace Plugboard.AspNetCore.Routing;

/// <summary>
/// The endpoints one plugin version mapped: the wrapped endpoints routing sees, and each one's own request delegate
/// by route (pattern and methods), so a request routed to an older version's endpoint can run the same route of the
/// current version instead.
/// </summary>
/// <param name="PluginId">The plugin.</param>
/// <param name="Owner">The version's first entry instance: the identity of the version these endpoints belong to.</param>
/// <param name="Endpoints">What routing matches.</param>
/// <param name="Handlers">The plugin's own request delegates, by <see cref="RouteKey"/>.</param>
internal sealed record PluginEndpoints(string PluginId, object Owner, IReadOnlyList<Endpoint> Endpoints, IReadOnlyDictionary<string, RequestDelegate> Handlers);
