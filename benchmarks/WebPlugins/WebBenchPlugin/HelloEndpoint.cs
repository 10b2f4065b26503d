using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Plugboard.AspNetCore;

namespace WebBenchPlugin;

/// <summary>One endpoint, the same handler the benchmark host maps for itself: the request path is all that differs.</summary>
public sealed class HelloEndpoint : IWebPlugin
{
#if V2
    private const string Answer = "v2";
#else
    private const string Answer = "v1";
#endif

    public void MapEndpoints(IEndpointRouteBuilder endpoints) => endpoints.MapGet("/hello", static () => Answer);
}
