using System.Net;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;

namespace Plugboard.AspNetCore.Tests;

/// <summary>
/// A plugin's endpoints while the server runs: they appear on load, change on reload (a request in flight finishes on
/// the old version, new requests reach the new one), are gone on unload (404), and the old version is collected.
/// Counts collections, so it runs alone (tests/README.md).
/// </summary>
[Collection(GlobalMeasurement.Name)]
public sealed class WebPluginLifetimeTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task Endpoints_serve_under_the_plugin_prefix_once_it_loads()
    {
        using var folder = new PluginFolder("WebPlugin");
        await using WebHost web = await WebHost.StartAsync(folder.Root);

        Assert.Equal((HttpStatusCode.OK, "hello from v1"), await web.GetAsync("/plugins/WebPlugin/hello"));
        Assert.Equal((HttpStatusCode.OK, """{"text":"hello ada","version":"1"}"""), await web.GetAsync("/plugins/WebPlugin/greeting/ada"));
        Assert.Equal((HttpStatusCode.OK, "the host's own endpoint"), await web.GetAsync("/host"));
        Assert.Equal(HttpStatusCode.NotFound, (await web.GetAsync("/hello")).Status);
        Assert.Contains(web.Log.Entries, e => e.EventId.Id == 8001 && e.Message == "Plugin WebPlugin 1.0.0 serves 6 endpoint(s) under /plugins/WebPlugin");
        // The ASP.NET Core shared framework is the host's: nothing of it is loaded into the plugin's context.
        LoadedPlugin<IWebPlugin> plugin = web.Plugin("WebPlugin");
        List<AssemblyReference> aspNetCore = [.. plugin.Entry.References.Where(r => r.Name.StartsWith("Microsoft.AspNetCore.", StringComparison.Ordinal))];
        Assert.NotEmpty(aspNetCore);
        Assert.All(aspNetCore, r => Assert.Equal(AssemblyResolution.Framework, r.Resolution));
        Assert.Equal(["WebPlugin"], AssemblyLoadContext.All.Single(c => c.Name == plugin.LoadContextName).Assemblies.Select(a => a.GetName().Name));
    }

    // The defect of issue 19: on main, endpoints a plugin mapped kept serving its code after UnloadAsync (HTTP 200)
    // and the plugin was never collected, because routing held its request delegates.
    [Fact]
    public async Task After_unload_the_routes_answer_404_and_the_plugin_is_collected()
    {
        using var folder = new PluginFolder("WebPlugin");
        await using WebHost web = await WebHost.StartAsync(folder.Root);
        LoadedPlugin<IWebPlugin> plugin = web.Plugin("WebPlugin");
        // Every kind of endpoint once: the plugin's own JSON type, its own request-scoped service, a failure.
        Assert.Equal(HttpStatusCode.OK, (await web.GetAsync("/plugins/WebPlugin/greeting/ada")).Status);
        Assert.Equal(HttpStatusCode.OK, (await web.GetAsync("/plugins/WebPlugin/counter")).Status);
        Assert.Equal(HttpStatusCode.InternalServerError, (await web.GetAsync("/plugins/WebPlugin/boom")).Status);
        WeakReference instance = WeakInstance(plugin);

        UnloadReport report = await plugin.UnloadAsync();

        Assert.Equal((HttpStatusCode.NotFound, ""), await web.GetAsync("/plugins/WebPlugin/hello"));
        Assert.Equal(HttpStatusCode.NotFound, (await web.GetAsync("/plugins/WebPlugin/greeting/ada")).Status);
        Assert.True(report.Collected, $"the web plugin was not collected: {string.Join("; ", report.Suspects)}; roots: {string.Join("; ", report.Roots)} {report.Diagnosis}");
        Assert.True(GcLoop.Until(() => !instance.IsAlive), "the web plugin's entry instance is still alive after unload");
        Assert.Equal((HttpStatusCode.OK, "the host's own endpoint"), await web.GetAsync("/host"));
        Assert.Contains(web.Log.Entries, e => e.EventId.Id == 8002 && e.Message == "Plugin WebPlugin: its endpoints were removed (version released)");
    }

    [Fact]
    public async Task Reload_finishes_the_request_in_flight_on_the_old_version_and_sends_new_requests_to_the_new()
    {
        using var folder = new PluginFolder("WebPlugin");
        await using WebHost web = await WebHost.StartAsync(folder.Root);
        LoadedPlugin<IWebPlugin> plugin = web.Plugin("WebPlugin");
        WeakReference old = WeakInstance(plugin);
        Assert.Equal(HttpStatusCode.NotFound, (await web.GetAsync("/plugins/WebPlugin/new-in-v2")).Status);

        Task<(HttpStatusCode, string)> inFlight = web.GetAsync("/plugins/WebPlugin/slow");
        Assert.True(web.Entered.Wait(TimeSpan.FromSeconds(10)), "the slow request never reached the plugin");
        folder.Overwrite("WebPlugin", "WebPluginV2");
        Task<ReloadResult> reload = plugin.ReloadAsync();

        // The reload waits for the request in flight; meanwhile new requests already reach version 2.
        Assert.True(await web.AnswersAsync("/plugins/WebPlugin/hello", "hello from v2"), "version 2 never answered while the old request was in flight");
        Assert.Equal((HttpStatusCode.OK, "only in v2"), await web.GetAsync("/plugins/WebPlugin/new-in-v2"));
        Assert.False(inFlight.IsCompleted);
        Assert.False(reload.IsCompleted);

        web.Gate.Release();
        Assert.Equal((HttpStatusCode.OK, "slow from v1"), await inFlight.WaitAsync(TimeSpan.FromSeconds(10)));
        ReloadResult result = await reload.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.True(result.PreviousUnload?.Collected, $"version 1 was not collected: {string.Join("; ", result.PreviousUnload?.Suspects ?? [])}");
        Assert.True(GcLoop.Until(() => !old.IsAlive), "version 1's entry instance is still alive after the reload");
        Assert.Equal((HttpStatusCode.OK, "hello from v2"), await web.GetAsync("/plugins/WebPlugin/hello"));
        Assert.Equal((HttpStatusCode.OK, """{"text":"hello ada","version":"2"}"""), await web.GetAsync("/plugins/WebPlugin/greeting/ada"));
    }

    [Fact]
    public async Task Reloads_under_load_fail_no_request_and_every_old_version_is_collected()
    {
        const int Reloads = 6;
        using var folder = new PluginFolder("WebPlugin");
        await using WebHost web = await WebHost.StartAsync(folder.Root);
        LoadedPlugin<IWebPlugin> plugin = web.Plugin("WebPlugin");
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var answers = new System.Collections.Concurrent.ConcurrentBag<(HttpStatusCode, string)>();
        // Four clients, each on its own connection, asking without pause until the reloads are done.
        Task[] clients = [.. Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            using var client = new HttpClient { BaseAddress = web.Client.BaseAddress };
            while (!stop.IsCancellationRequested)
            {
                using HttpResponseMessage response = await client.GetAsync("/plugins/WebPlugin/hello");
                answers.Add((response.StatusCode, await response.Content.ReadAsStringAsync()));
            }
        }))];
        var reports = new List<UnloadReport?>();
        for (int i = 0; i < Reloads; i++)
        {
            folder.Overwrite("WebPlugin", i % 2 == 0 ? "WebPluginV2" : "WebPlugin");
            ReloadResult result = await plugin.ReloadAsync();
            Assert.True(result.Succeeded, result.Error?.Message);
            reports.Add(result.PreviousUnload);
            Assert.True(await web.AnswersAsync("/plugins/WebPlugin/hello", i % 2 == 0 ? "hello from v2" : "hello from v1"));
        }
        await stop.CancelAsync();
        await Task.WhenAll(clients).WaitAsync(TimeSpan.FromSeconds(30));

        output.WriteLine($"{answers.Count} requests by 4 clients during {Reloads} reloads; answers: {string.Join(", ", answers.GroupBy(a => a).Select(g => $"{g.Key}: {g.Count()}"))}");
        Assert.True(answers.Count > Reloads, $"only {answers.Count} requests were made");
        Assert.All(answers, a => Assert.True(a is (HttpStatusCode.OK, "hello from v1" or "hello from v2"), $"a request failed during the reloads: {a}"));
        Assert.All(reports, r => Assert.True(r?.Collected, $"an old version was not collected: {string.Join("; ", r?.Suspects ?? [])}"));
    }

    // A request routing sent to the plugin, whose lease fails because the plugin was unloaded between routing and the
    // endpoint: it answers 404 problem details with PB0310 (the plugin is gone), not a crash and not the plugin's code.
    [Fact]
    public async Task A_request_routed_to_the_plugin_just_before_its_unload_answers_404_problem_details_with_PB0310()
    {
        using var routed = new SemaphoreSlim(0);
        using var hold = new SemaphoreSlim(0);
        using var folder = new PluginFolder("WebPlugin");
        await using WebHost web = await WebHost.StartAsync(folder.Root, afterRouting: async http =>
        {
            if (http.Request.Headers.ContainsKey("X-Hold"))
            {
                routed.Release();
                await hold.WaitAsync(TimeSpan.FromSeconds(60));
            }
        });
        LoadedPlugin<IWebPlugin> plugin = web.Plugin("WebPlugin");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/plugins/WebPlugin/hello");
        request.Headers.Add("X-Hold", "1");
        Task<HttpResponseMessage> held = web.Client.SendAsync(request);
        Assert.True(await routed.WaitAsync(TimeSpan.FromSeconds(10)), "the request never got past routing");

        // Not in a call of the plugin yet, so the unload does not wait for it (it may keep the version alive until it ends).
        await plugin.UnloadAsync();
        hold.Release();

        using HttpResponseMessage response = await held.WaitAsync(TimeSpan.FromSeconds(30));
        string body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"code\":\"PB0310\"", body, StringComparison.Ordinal);
        Assert.Contains("WebPlugin", body, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.NotFound, ""), await web.GetAsync("/plugins/WebPlugin/hello"));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference WeakInstance(LoadedPlugin<IWebPlugin> plugin) => new(plugin.Instances[0]);
}
