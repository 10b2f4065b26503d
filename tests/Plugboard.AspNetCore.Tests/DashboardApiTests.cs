using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Plugboard.AspNetCore.Tests;

/// <summary>The plugin dashboard over plain HTTP: never anonymous, commands only with the page's antiforgery token, typed errors, bounded live connections.</summary>
[Collection(GlobalMeasurement.Name)]
public sealed class DashboardApiTests
{
    [Fact]
    public async Task Anonymous_requests_are_refused_and_change_nothing()
    {
        using var folder = new PluginFolder("WebPlugin");
        await using WebHost web = await DashboardHost.StartAsync(folder.Root);

        foreach (string path in (string[])["/plugboard", "/plugboard/", "/plugboard/api/plugins", "/plugboard/api/events"])
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await web.GetAsync(path)).Status);
        }
        foreach (string action in (string[])["reload", "unload"])
        {
            using HttpResponseMessage post = await web.Client.PostAsync($"/plugboard/api/plugins/WebPlugin/{action}", null);
            Assert.Equal(HttpStatusCode.Unauthorized, post.StatusCode);
        }
        LoadedPlugin<IWebPlugin> plugin = web.Plugin("WebPlugin");
        Assert.True(plugin.IsLoaded);
        Assert.Equal(1, plugin.Generation);
        Assert.Equal(HttpStatusCode.OK, (await web.GetAsync("/plugboard", user: "ada")).Status);
    }

    [Fact]
    public async Task A_command_without_the_page_s_antiforgery_token_is_refused_and_one_with_it_runs()
    {
        using var folder = new PluginFolder("WebPlugin");
        await using WebHost web = await DashboardHost.StartAsync(folder.Root);
        (HttpClient client, string token) = await web.SignedInClientAsync("ada");
        using (client)
        {
            // Signed in, but without the token (what a cross-site form or script could send): refused, nothing done.
            using HttpResponseMessage refused = await client.PostAsync("/plugboard/api/plugins/WebPlugin/reload", token: null);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("antiforgery", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(1, web.Plugin("WebPlugin").Generation);

            folder.Overwrite("WebPlugin", "WebPluginV2");
            using HttpResponseMessage reloaded = await client.PostAsync("/plugboard/api/plugins/WebPlugin/reload", token);
            Assert.Equal(HttpStatusCode.OK, reloaded.StatusCode);
            JsonElement answer = await reloaded.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("1.0.0", answer.GetProperty("previousVersion").GetString());
            Assert.Equal("2.0.0", answer.GetProperty("newVersion").GetString());
            Assert.True(answer.GetProperty("previousUnload").GetProperty("collected").GetBoolean());
            Assert.Equal(2, web.Plugin("WebPlugin").Generation);
            Assert.Contains(web.Log.Entries, e => e.EventId.Id == 8006 && e.Message.StartsWith("Dashboard: ada asked to reload plugin WebPlugin:", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Reload_or_unload_of_a_plugin_not_loaded_answers_404_with_PB0803()
    {
        using var folder = new PluginFolder("WebPlugin");
        await using WebHost web = await DashboardHost.StartAsync(folder.Root);
        (HttpClient client, string token) = await web.SignedInClientAsync("ada");
        using (client)
        {
            foreach (string action in (string[])["reload", "unload"])
            {
                using HttpResponseMessage response = await client.PostAsync($"/plugboard/api/plugins/NoSuchPlugin/{action}", token);
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                JsonElement problem = await response.Content.ReadFromJsonAsync<JsonElement>();
                Assert.Equal("PB0803", problem.GetProperty("code").GetString());
                Assert.Equal("urn:plugboard:error:PB0803", problem.GetProperty("type").GetString());
                Assert.Equal("NoSuchPlugin", problem.GetProperty("pluginId").GetString());
            }
        }
    }

    [Fact]
    public async Task An_unloaded_plugin_is_loaded_again_from_its_folder_and_serves_its_endpoints_again()
    {
        using var folder = new PluginFolder("WebPlugin");
        await using WebHost web = await DashboardHost.StartAsync(folder.Root);
        (HttpClient client, string token) = await web.SignedInClientAsync("ada");
        using (client)
        {
            // Loaded: nothing to load again.
            using (HttpResponseMessage early = await client.PostAsync("/plugboard/api/plugins/WebPlugin/load", token))
            {
                Assert.Equal(HttpStatusCode.NotFound, early.StatusCode);
                Assert.Equal("PB0803", (await early.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
            }
            Assert.False(await LoadableAsync(client, "WebPlugin"));

            using (HttpResponseMessage unloaded = await client.PostAsync("/plugboard/api/plugins/WebPlugin/unload", token))
            {
                Assert.Equal(HttpStatusCode.OK, unloaded.StatusCode);
            }
            Assert.Equal(HttpStatusCode.NotFound, (await web.GetAsync("/plugins/WebPlugin/hello")).Status);
            Assert.True(await LoadableAsync(client, "WebPlugin"));

            using (HttpResponseMessage loaded = await client.PostAsync("/plugboard/api/plugins/WebPlugin/load", token))
            {
                Assert.Equal(HttpStatusCode.OK, loaded.StatusCode);
                JsonElement answer = await loaded.Content.ReadFromJsonAsync<JsonElement>();
                Assert.Equal("WebPlugin", answer.GetProperty("pluginId").GetString());
                Assert.Equal("1.0.0", answer.GetProperty("version").GetString());
            }
            Assert.Equal((HttpStatusCode.OK, "hello from v1"), await web.GetAsync("/plugins/WebPlugin/hello"));
            Assert.False(await LoadableAsync(client, "WebPlugin"));
            Assert.Equal("Active", (await RowAsync(client, "WebPlugin")).GetProperty("state").GetString());

            // Unloaded again, and its folder broken meanwhile: the load is refused with the typed error and it stays unloaded.
            using (HttpResponseMessage unloaded = await client.PostAsync("/plugboard/api/plugins/WebPlugin/unload", token))
            {
                Assert.Equal(HttpStatusCode.OK, unloaded.StatusCode);
            }
            await File.WriteAllTextAsync(folder.PathOf("WebPlugin", "WebPlugin.dll"), "not an assembly");
            using (HttpResponseMessage refused = await client.PostAsync("/plugboard/api/plugins/WebPlugin/load", token))
            {
                Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
                JsonElement problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
                Assert.StartsWith("PB", problem.GetProperty("code").GetString());
                Assert.Equal("WebPlugin", problem.GetProperty("pluginId").GetString());
                Assert.Contains("WebPlugin.dll", problem.GetProperty("detail").GetString());
            }
            Assert.Equal(HttpStatusCode.NotFound, (await web.GetAsync("/plugins/WebPlugin/hello")).Status);
            Assert.True(await LoadableAsync(client, "WebPlugin"));
        }
    }

    private static async Task<JsonElement> RowAsync(HttpClient client, string id)
    {
        JsonElement state = await client.GetFromJsonAsync<JsonElement>("/plugboard/api/plugins");
        return state.GetProperty("plugins").EnumerateArray().Single(p => p.GetProperty("id").GetString() == id);
    }

    private static async Task<bool> LoadableAsync(HttpClient client, string id) => (await RowAsync(client, id)).GetProperty("loadable").GetBoolean();

    [Fact]
    public async Task A_failed_reload_answers_409_problem_details_with_the_typed_error()
    {
        using var folder = new PluginFolder("WebPlugin");
        await using WebHost web = await DashboardHost.StartAsync(folder.Root);
        (HttpClient client, string token) = await web.SignedInClientAsync("ada");
        using (client)
        {
            await File.WriteAllTextAsync(folder.PathOf("WebPlugin", "WebPlugin.dll"), "not an assembly");

            using HttpResponseMessage response = await client.PostAsync("/plugboard/api/plugins/WebPlugin/reload", token);

            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            JsonElement problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            PluginException error = web.Failures()["WebPlugin"];
            Assert.Equal(error.CodeText, problem.GetProperty("code").GetString());
            Assert.Equal($"urn:plugboard:error:{error.CodeText}", problem.GetProperty("type").GetString());
            Assert.Equal(error.Message, problem.GetProperty("detail").GetString());
            Assert.Equal(error.Fix, problem.GetProperty("fix").GetString());
            Assert.Equal("WebPlugin", problem.GetProperty("pluginId").GetString());
            Assert.Equal((HttpStatusCode.OK, "hello from v1"), await web.GetAsync("/plugins/WebPlugin/hello"));
        }
    }

    [Fact]
    public async Task Mapping_refuses_a_host_without_authorization_or_with_a_policy_it_does_not_define()
    {
        using var folder = new PluginFolder("WebPlugin");

        InvalidOperationException none = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            WebHost.StartAsync(folder.Root, authentication: false, map: app => app.MapPlugboardDashboard()));
        Assert.Contains("requires authorization", none.Message, StringComparison.Ordinal);
        InvalidOperationException undefined = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            DashboardHost.StartAsync(folder.Root, o => o.AuthorizationPolicy = "operators"));
        Assert.Contains("'operators'", undefined.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_policy_named_in_configuration_is_required()
    {
        using var folder = new PluginFolder("WebPlugin");
        await using WebHost web = await DashboardHost.StartAsync(folder.Root, settings: ("Plugboard:Web:Dashboard:AuthorizationPolicy", "admins"));

        Assert.Equal(HttpStatusCode.Unauthorized, (await web.GetAsync("/plugboard")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await web.GetAsync("/plugboard", user: "ada")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await web.GetAsync("/plugboard/api/plugins", user: "ada")).Status);
        Assert.Equal(HttpStatusCode.OK, (await web.GetAsync("/plugboard", user: "admin")).Status);
    }

    [Fact]
    public async Task The_page_is_self_contained_and_runs_only_its_own_script()
    {
        using var folder = new PluginFolder("WebPlugin");
        await using WebHost web = await DashboardHost.StartAsync(folder.Root);

        using HttpResponseMessage response = await web.SendAsync("/plugboard", user: "ada");
        string page = await response.Content.ReadAsStringAsync();
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        // Nothing is fetched from elsewhere: no external script, style, font or image.
        Assert.DoesNotMatch(@"(src|href)\s*=|@import|url\(|https?://", page);
        string policy = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.StartsWith("default-src 'none'; script-src 'nonce-", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task Live_connections_are_bounded()
    {
        using var folder = new PluginFolder("WebPlugin");
        await using WebHost web = await DashboardHost.StartAsync(folder.Root, o => o.MaxLiveConnections = 1);

        using (HttpResponseMessage first = await web.Client.SendAsync(Live(), HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            Assert.Equal("text/event-stream", first.Content.Headers.ContentType?.MediaType);
            using HttpResponseMessage second = await web.Client.SendAsync(Live(), HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, second.StatusCode);
        }
        // The first page went away: its place is free again.
        Assert.True(await Until(() => web.Feed().Count == 0), "the closed live connection was not released");
        using HttpResponseMessage third = await web.Client.SendAsync(Live(), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);

        static HttpRequestMessage Live() => new(HttpMethod.Get, "/plugboard/api/events") { Headers = { { "X-User", "ada" } } };
    }

    internal static async Task<bool> Until(Func<bool> condition)
    {
        for (long deadline = Environment.TickCount64 + 10_000; Environment.TickCount64 < deadline; await Task.Delay(20))
        {
            if (condition())
            {
                return true;
            }
        }
        return condition();
    }
}
