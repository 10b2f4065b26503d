using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Plugboard.AspNetCore.Routing;

/// <summary>What makes two versions' endpoints the same route: the pattern text and the HTTP methods.</summary>
internal static class RouteKey
{
    public static string Of(RouteEndpoint endpoint)
    {
        IReadOnlyList<string> methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [];
        return $"{string.Join(',', methods.Order(StringComparer.OrdinalIgnoreCase))} {endpoint.RoutePattern.RawText}";
    }
}
