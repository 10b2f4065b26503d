using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Plugboard.AspNetCore.Dashboard;
using Plugboard.Hosting;

namespace Plugboard.AspNetCore.Tests;

/// <summary>A <see cref="WebHost"/> (authentication by X-User header or cookie) with the plugin dashboard at /plugboard, and what the tests read of it.</summary>
internal static partial class DashboardHost
{
    public static Task<WebHost> StartAsync(string folder, Action<PlugboardDashboardOptions>? options = null, params (string Key, string Value)[] settings) =>
        WebHost.StartAsync(folder, authentication: true, map: app => app.MapPlugboardDashboard("/plugboard", options), settings: settings);

    /// <summary>The dashboard's live connections, found through its endpoints' metadata.</summary>
    public static DashboardFeed Feed(this WebHost web) => web.App.Services.GetRequiredService<EndpointDataSource>().Endpoints
        .Select(e => e.Metadata.GetMetadata<DashboardEndpoints>()).First(d => d is not null)!.Feed;

    public static IReadOnlyDictionary<string, PluginException> Failures(this WebHost web) =>
        web.App.Services.GetRequiredService<IPluginSet<IWebPlugin>>().Failures;

    /// <summary>A client of <paramref name="user"/> with cookies, holding the antiforgery token of the dashboard page it loaded.</summary>
    public static async Task<(HttpClient Client, string Token)> SignedInClientAsync(this WebHost web, string user)
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = web.Client.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add("X-User", user);
        string page = await client.GetStringAsync("/plugboard");
        string encoded = TokenInPage().Match(page).Groups[1].Value;
        return (client, JsonSerializer.Deserialize<string>($"\"{encoded}\"")!);
    }

    public static Task<HttpResponseMessage> PostAsync(this HttpClient client, string path, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        if (token is not null)
        {
            request.Headers.Add("RequestVerificationToken", token);
        }
        return client.SendAsync(request);
    }

    [GeneratedRegex("""const token = "([^"]*)";""")]
    private static partial Regex TokenInPage();
}
