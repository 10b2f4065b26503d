using Microsoft.AspNetCore.Builder;
using System.Net;
using System.Text.Json;

namespace Plugboard.AspNetCore.Tests;

/// <summary>What one request to a plugin endpoint gets: problem details for a failure, the plugin's own services, the host's policy and prefix.</summary>
public sealed class WebPluginRequestTests
{
    [Fact]
    public async Task A_throwing_endpoint_answers_problem_details_with_the_code_and_the_server_keeps_serving()
    {
        using var folder = new PluginFolder("WebPlugin");
        await using WebHost web = await WebHost.StartAsync(folder.Root);

        using HttpResponseMessage response = await web.Client.GetAsync("/plugins/WebPlugin/boom");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using JsonDocument problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(500, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("PB0801", problem.RootElement.GetProperty("code").GetString());
        Assert.Equal("WebPlugin", problem.RootElement.GetProperty("pluginId").GetString());
        Assert.Equal("urn:plugboard:error:PB0801", problem.RootElement.GetProperty("type").GetString());
        Assert.Equal("A plugin endpoint failed.", problem.RootElement.GetProperty("title").GetString());
        // The client learns the code, not the plugin's exception; the server's log has it.
        Assert.DoesNotContain("on purpose", problem.RootElement.GetRawText(), StringComparison.Ordinal);
        CapturingLog.Written logged = Assert.Single(web.Log.Entries, e => e.EventId.Id == 8003);
        Assert.StartsWith("PB0801 plugin 'WebPlugin'", logged.Message, StringComparison.Ordinal);
        Assert.Contains("Its endpoint GET /plugins/WebPlugin/boom threw System.InvalidOperationException: the plugin's endpoint failed on purpose", logged.Message, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.OK, "hello from v1"), await web.GetAsync("/plugins/WebPlugin/hello"));
    }

    [Fact]
    public async Task Endpoint_failures_count_towards_the_fault_threshold_and_a_faulted_plugin_answers_503_with_PB0308()
    {
        using var folder = new PluginFolder("WebPlugin");
        await using WebHost web = await WebHost.StartAsync(folder.Root, settings: ("Plugboard:FaultThreshold", "2"));

        Assert.Equal(HttpStatusCode.InternalServerError, (await web.GetAsync("/plugins/WebPlugin/boom")).Status);
        Assert.Equal(HttpStatusCode.InternalServerError, (await web.GetAsync("/plugins/WebPlugin/boom")).Status);
        using HttpResponseMessage response = await web.Client.GetAsync("/plugins/WebPlugin/hello");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        using JsonDocument problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("PB0308", problem.RootElement.GetProperty("code").GetString());
        Assert.Equal("The plugin serving this route is faulted.", problem.RootElement.GetProperty("title").GetString());
        Assert.Equal(PluginState.Faulted, web.Plugin("WebPlugin").State);
        Assert.Equal(HttpStatusCode.OK, (await web.GetAsync("/host")).Status);
    }

    [Fact]
    public async Task Each_request_gets_a_scope_of_the_plugin_s_own_services()
    {
        using var folder = new PluginFolder("WebPlugin");
        await using WebHost web = await WebHost.StartAsync(folder.Root);

        (HttpStatusCode status, string first) = await web.GetAsync("/plugins/WebPlugin/counter");
        (_, string second) = await web.GetAsync("/plugins/WebPlugin/counter");

        // One RequestCounter per request (the parameter and RequestServices resolve the same one), disposed after it.
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("2 uses, same instance: True, disposed so far: 0", first);
        Assert.Equal("2 uses, same instance: True, disposed so far: 1", second);
    }

    [Fact]
    public async Task The_host_s_authorization_policy_applies_to_every_plugin_endpoint_even_one_asking_for_anonymous()
    {
        using var folder = new PluginFolder("WebPlugin");
        await using WebHost web = await WebHost.StartAsync(folder.Root, o => o.AuthorizationPolicy = "plugins", authentication: true);

        Assert.Equal(HttpStatusCode.Unauthorized, (await web.GetAsync("/plugins/WebPlugin/hello")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await web.GetAsync("/plugins/WebPlugin/open")).Status);
        Assert.Equal((HttpStatusCode.OK, "hello from v1"), await web.GetAsync("/plugins/WebPlugin/hello", user: "ada"));
        Assert.Equal((HttpStatusCode.OK, "anonymous?"), await web.GetAsync("/plugins/WebPlugin/open", user: "ada"));
        // The host's own endpoints are not concerned.
        Assert.Equal(HttpStatusCode.OK, (await web.GetAsync("/host")).Status);
    }

    [Fact]
    public async Task Conventions_on_MapPlugins_apply_to_every_plugin_endpoint_and_each_endpoint_names_its_plugin()
    {
        using var folder = new PluginFolder("WebPlugin");
        await using WebHost web = await WebHost.StartAsync(folder.Root, authentication: true, conventions: plugins => plugins.RequireAuthorization("plugins"));

        Assert.Equal(HttpStatusCode.Unauthorized, (await web.GetAsync("/plugins/WebPlugin/hello")).Status);
        using HttpResponseMessage response = await web.SendAsync("/plugins/WebPlugin/hello", user: "ada");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("WebPlugin 1.0.0", Assert.Single(response.Headers.GetValues("X-Plugin")));
        Assert.Equal(HttpStatusCode.OK, (await web.GetAsync("/host")).Status);
    }

    [Fact]
    public async Task A_plugin_can_be_given_its_own_prefix_in_configuration()
    {
        using var folder = new PluginFolder("WebPlugin");
        // From configuration, the Plugboard:Web section.
        await using WebHost web = await WebHost.StartAsync(folder.Root, settings: ("Plugboard:Web:RoutePrefixes:WebPlugin", "/greeter"));

        Assert.Equal((HttpStatusCode.OK, "hello from v1"), await web.GetAsync("/greeter/hello"));
        Assert.Equal(HttpStatusCode.NotFound, (await web.GetAsync("/plugins/WebPlugin/hello")).Status);
    }

    [Fact]
    public async Task A_plugin_whose_mapping_throws_stays_loaded_without_endpoints_and_the_log_says_why()
    {
        using var folder = new PluginFolder("WebPlugin");
        await using WebHost web = await WebHost.StartAsync(folder.Root, settings: ("Plugboard:Settings:WebPlugin:FailMapping", "true"));

        Assert.Equal(PluginState.Active, web.Plugin("WebPlugin").State);
        Assert.Equal(HttpStatusCode.NotFound, (await web.GetAsync("/plugins/WebPlugin/hello")).Status);
        Assert.Equal(HttpStatusCode.OK, (await web.GetAsync("/host")).Status);
        CapturingLog.Written logged = Assert.Single(web.Log.Entries, e => e.EventId.Id == 8004);
        Assert.StartsWith("PB0802 plugin 'WebPlugin'", logged.Message, StringComparison.Ordinal);
        Assert.Contains("Its endpoints under /plugins/WebPlugin could not be mapped: System.InvalidOperationException: the plugin was told to fail while mapping", logged.Message, StringComparison.Ordinal);
    }
}
