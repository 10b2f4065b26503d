using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Plugboard.AspNetCore.Internal;

/// <summary>
/// Writes a plugin failure as an RFC 7807 problem-details response carrying the PB code and the plugin id (through
/// the host's <c>IProblemDetailsService</c> when it has one). The detail stays generic: the full error, with paths
/// and the plugin's exception, goes to the server's log, not to the client.
/// </summary>
internal static class ProblemResponse
{
    public static int StatusFor(PluginErrorCode code) => code switch
    {
        PluginErrorCode.PluginUnloaded => StatusCodes.Status404NotFound,
        PluginErrorCode.PluginFaulted or PluginErrorCode.PluginBusy => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    public static Task WriteAsync(HttpContext http, PluginException error)
    {
        int status = StatusFor(error.Code);
        var problem = new ProblemDetails
        {
            Status = status,
            Type = $"urn:plugboard:error:{error.CodeText}",
            Title = error.Code switch
            {
                PluginErrorCode.WebEndpointFailed => "A plugin endpoint failed.",
                PluginErrorCode.PluginUnloaded => "The plugin serving this route has been unloaded.",
                PluginErrorCode.PluginFaulted => "The plugin serving this route is faulted.",
                PluginErrorCode.PluginBusy => "The plugin serving this route is being reloaded.",
                _ => "The plugin serving this route cannot answer.",
            },
            Detail = $"{error.CodeText}: see the server's log for plugin '{error.PluginId}'.",
            Instance = http.Request.Path,
        };
        problem.Extensions["code"] = error.CodeText;
        problem.Extensions["pluginId"] = error.PluginId;
        problem.Extensions["traceId"] = http.TraceIdentifier;
        return TypedResults.Problem(problem).ExecuteAsync(http);
    }
}
