using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Plugboard.AspNetCore.Internal;

namespace Plugboard.AspNetCore.Dashboard;

/// <summary>
/// The dashboard's endpoints under its prefix: the page, the plugins as JSON, their live updates (Server-Sent Events)
/// and the reload and unload commands (POST, with the antiforgery token the page carries).
/// </summary>
internal sealed class DashboardEndpoints(IReadOnlyList<IPluginBoard> boards, PluginActivity activity, DashboardFeed feed, PlugboardDashboardOptions options,
    IAntiforgery antiforgery, string tokenHeader, CancellationToken stopping, ILogger logger)
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);
    private static readonly TimeSpan s_keepAlive = TimeSpan.FromSeconds(15);
    private static readonly Lazy<string> s_page = new(() =>
    {
        using Stream stream = typeof(DashboardEndpoints).Assembly.GetManifestResourceStream("Plugboard.AspNetCore.Dashboard.dashboard.html")
            ?? throw new InvalidOperationException("The dashboard page is missing from Plugboard.AspNetCore's resources.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    /// <summary>The connections open now (for tests: none are left after the host stops).</summary>
    public DashboardFeed Feed => feed;

    public void Map(RouteGroupBuilder group)
    {
        group.MapGet("/", Page);   // also answers the prefix without its trailing slash
        group.MapGet("/api/plugins", (HttpContext http) => Results.Json(new DashboardState(Rows()), s_json));
        group.MapGet("/api/events", LiveAsync);
        group.MapPost("/api/plugins/{id}/reload", ReloadAsync);
        group.MapPost("/api/plugins/{id}/unload", UnloadAsync);
        group.MapPost("/api/plugins/{id}/load", LoadAsync);
    }

    private List<PluginRow> Rows() => [.. boards.SelectMany(b => b.Rows(activity)).OrderBy(r => r.Id, StringComparer.OrdinalIgnoreCase)];

    private IResult Page(HttpContext http)
    {
        AntiforgeryTokenSet tokens = antiforgery.GetAndStoreTokens(http);
        string nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        // The page's own address, without a trailing slash: its API is beside it whatever the prefix and PathBase.
        string self = (http.Request.PathBase + http.Request.Path).Value!.TrimEnd('/');
        JavaScriptEncoder js = JavaScriptEncoder.Default;
        string page = s_page.Value
            .Replace("{{nonce}}", nonce, StringComparison.Ordinal)
            .Replace("{{base}}", js.Encode(self), StringComparison.Ordinal)
            .Replace("{{tokenHeader}}", js.Encode(tokenHeader), StringComparison.Ordinal)
            .Replace("{{token}}", js.Encode(tokens.RequestToken ?? string.Empty), StringComparison.Ordinal);
        IHeaderDictionary headers = http.Response.Headers;
        // Only this page's own script and style run; it cannot be framed (its buttons act), nothing is cached.
        headers.ContentSecurityPolicy = $"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
        headers.XContentTypeOptions = "nosniff";
        headers.CacheControl = "no-store";
        headers["Referrer-Policy"] = "no-referrer";
        return Results.Content(page, "text/html; charset=utf-8");
    }

    private async Task LiveAsync(HttpContext http)
    {
        using DashboardFeed.Connection? connection = feed.TryOpen();
        if (connection is null)
        {
            http.Response.Headers.RetryAfter = "5";
            await Problem(StatusCodes.Status503ServiceUnavailable, "Too many live dashboard connections.",
                $"At most {options.MaxLiveConnections} pages may follow the dashboard live (PlugboardDashboardOptions.MaxLiveConnections).").ExecuteAsync(http).ConfigureAwait(false);
            return;
        }
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        // The host's stop ends the connection, so a page left open never holds up the server's shutdown.
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, stopping);
        CancellationToken token = ended.Token;
        try
        {
            await WriteAsync(http, "retry: 2000\n\n", token).ConfigureAwait(false);
            string? sent = null;
            long lastWrite = Environment.TickCount64;
            while (true)
            {
                string state = JsonSerializer.Serialize(new DashboardState(Rows()), s_json);
                if (state != sent)
                {
                    await WriteAsync(http, $"event: plugins\ndata: {state}\n\n", token).ConfigureAwait(false);
                    sent = state;
                    lastWrite = Environment.TickCount64;
                }
                else if (Environment.TickCount64 - lastWrite >= s_keepAlive.TotalMilliseconds)
                {
                    await WriteAsync(http, ": keep-alive\n\n", token).ConfigureAwait(false);
                    lastWrite = Environment.TickCount64;
                }
                await connection.WaitAsync(options.RefreshInterval, token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The page went away or the host stops.
        }
    }

    private static async Task WriteAsync(HttpContext http, string text, CancellationToken token)
    {
        await http.Response.WriteAsync(text, token).ConfigureAwait(false);
        await http.Response.Body.FlushAsync(token).ConfigureAwait(false);
    }

    private async Task<IResult> ReloadAsync(string id, HttpContext http)
    {
        if (await RefusedAsync(http).ConfigureAwait(false) is IResult refused)
        {
            return refused;
        }
        // The host's stop, not the page's, cancels: a closed tab does not roll a reload back.
        Task<ReloadResult>? reload = boards.Select(b => b.Reload(id, stopping)).FirstOrDefault(t => t is not null);
        if (reload is null)
        {
            return NotLoaded(http, id, "reload");
        }
        ReloadResult result = await reload.ConfigureAwait(false);
        if (result.Error is PluginException error)
        {
            Log.DashboardAction(logger, UserOf(http), "reload", id, error.Message);
            return PluginProblem(StatusCodes.Status409Conflict, "The reload failed; the previous version keeps serving.", error);
        }
        Log.DashboardAction(logger, UserOf(http), "reload", id, result.ToString());
        return Results.Json(new ReloadAnswer(result.PluginId, result.PreviousVersion, result.NewVersion, Math.Round(result.Elapsed.TotalMilliseconds, 1),
            result.PreviousUnload is UnloadReport old ? UnloadView.Of(old, result.PreviousVersion, DateTimeOffset.UtcNow) : null), s_json);
    }

    private async Task<IResult> UnloadAsync(string id, HttpContext http)
    {
        if (await RefusedAsync(http).ConfigureAwait(false) is IResult refused)
        {
            return refused;
        }
        Task<UnloadReport>? unload = boards.Select(b => b.Unload(id, stopping)).FirstOrDefault(t => t is not null);
        if (unload is null)
        {
            return NotLoaded(http, id, "unload");
        }
        UnloadReport report;
        try
        {
            report = await unload.ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // Unloaded by someone else between the look-up and the call.
            return NotLoaded(http, id, "unload");
        }
        Log.DashboardAction(logger, UserOf(http), "unload", id, report.ToString());
        return Results.Json(UnloadView.Of(report, null, DateTimeOffset.UtcNow), s_json);
    }

    private async Task<IResult> LoadAsync(string id, HttpContext http)
    {
        if (await RefusedAsync(http).ConfigureAwait(false) is IResult refused)
        {
            return refused;
        }
        Task<(string? Version, PluginException? Error)>? load = boards.Select(b => b.Load(id, stopping)).FirstOrDefault(t => t is not null);
        if (load is null)
        {
            return NotLoaded(http, id, "load");
        }
        (string? version, PluginException? error) = await load.ConfigureAwait(false);
        if (error is not null)
        {
            Log.DashboardAction(logger, UserOf(http), "load", id, error.Message);
            return PluginProblem(StatusCodes.Status409Conflict, "The plugin could not be loaded again; it stays unloaded.", error);
        }
        Log.DashboardAction(logger, UserOf(http), "load", id, $"loaded {version}");
        return Results.Json(new LoadAnswer(id, version), s_json);
    }

    /// <summary>
    /// The CSRF defence of the commands: the antiforgery token the page was served with must come back in its header
    /// (a cross-site page can neither read it nor, without CORS, send a custom header); null when it did.
    /// </summary>
    private async Task<IResult?> RefusedAsync(HttpContext http)
    {
        try
        {
            await antiforgery.ValidateRequestAsync(http).ConfigureAwait(false);
            return null;
        }
        catch (AntiforgeryValidationException)
        {
            return Problem(StatusCodes.Status400BadRequest, "The request lacks the dashboard's antiforgery token.",
                $"Send the token of the dashboard page in the {tokenHeader} header, from the same origin.");
        }
    }

    private IResult NotLoaded(HttpContext http, string id, string action)
    {
        PluginException error = action == "load"
            ? new PluginException(PluginErrorCode.DashboardPluginNotLoaded, id, null,
                "The dashboard was asked to load it again, but no plugin host of this application has unloaded a plugin of this id (an unknown id, or a plugin loaded already).",
                "Refresh the dashboard: only a plugin shown as unloaded can be loaded again from it.")
            : new PluginException(PluginErrorCode.DashboardPluginNotLoaded, id, null,
                $"The dashboard was asked to {action} it, but no plugin host of this application has it loaded (an unknown id, or a plugin already unloaded).",
                "Refresh the dashboard; load the plugin again (its Load button, a restart, or a change of its folder for hot reload) before reloading it.");
        Log.DashboardAction(logger, UserOf(http), action, id, error.Message);
        return PluginProblem(StatusCodes.Status404NotFound, action == "load" ? "No unloaded plugin has this id." : "No loaded plugin has this id.", error);
    }

    private static IResult PluginProblem(int status, string title, PluginException error)
    {
        var problem = new ProblemDetails
        {
            Status = status,
            Type = $"urn:plugboard:error:{error.CodeText}",
            Title = title,
            Detail = error.Message,
        };
        problem.Extensions["code"] = error.CodeText;
        problem.Extensions["pluginId"] = error.PluginId;
        problem.Extensions["cause"] = error.Cause;
        problem.Extensions["fix"] = error.Fix;
        return TypedResults.Problem(problem);
    }

    private static IResult Problem(int status, string title, string detail) => TypedResults.Problem(new ProblemDetails { Status = status, Title = title, Detail = detail });

    private static string UserOf(HttpContext http) => http.User.Identity?.Name ?? "an unnamed user";

    /// <summary>What the page and its live updates receive.</summary>
    private sealed record DashboardState(IReadOnlyList<PluginRow> Plugins);

    /// <summary>A plugin loaded again, as the page's load button receives it.</summary>
    private sealed record LoadAnswer(string PluginId, string? Version);

    /// <summary>A successful reload, as the page's reload button receives it.</summary>
    private sealed record ReloadAnswer(string PluginId, string? PreviousVersion, string? NewVersion, double ElapsedMs, UnloadView? PreviousUnload);
}
