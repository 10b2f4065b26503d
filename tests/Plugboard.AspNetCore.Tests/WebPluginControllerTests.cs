using System.Net;
using System.Runtime.CompilerServices;

namespace Plugboard.AspNetCore.Tests;

/// <summary>A plugin's MVC controllers in a host that runs MVC: under the plugin's prefix, replaced on reload, gone on unload, the old version collected. Counts collections, so it runs alone.</summary>
[Collection(GlobalMeasurement.Name)]
public sealed class WebPluginControllerTests(Xunit.Abstractions.ITestOutputHelper output)
{
    // Controllers under load: MVC cannot route a request again from inside its pipeline, so a request it routed to
    // the version a reload just replaced answers 503 PB0314 with Retry-After: 0 (see the test below this one); a
    // client that retries as told gets the new version. Failed: any other answer, or a retry that is not answered.
    [Fact]
    public async Task Controller_reloads_under_load_fail_no_request_a_client_retries_as_told_and_every_old_version_is_collected()
    {
        const int Reloads = 6;
        using var folder = new PluginFolder("WebPlugin");
        await using WebHost web = await WebHost.StartAsync(folder.Root, mvc: true);
        LoadedPlugin<IWebPlugin> plugin = web.Plugin("WebPlugin");
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var answers = new System.Collections.Concurrent.ConcurrentBag<string>();
        int retried = 0;
        Task[] clients = [.. Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            using var client = new HttpClient { BaseAddress = web.Client.BaseAddress };
            while (!stop.IsCancellationRequested)
            {
                string answer = await Ask(client);
                if (answer.StartsWith("503 PB0314 retry after 0", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref retried);
                    answer = await Ask(client);
                }
                answers.Add(answer);
            }
        }))];
        var reports = new List<UnloadReport?>();
        for (int i = 0; i < Reloads; i++)
        {
            folder.Overwrite("WebPlugin", i % 2 == 0 ? "WebPluginV2" : "WebPlugin");
            ReloadResult result = await plugin.ReloadAsync();
            Assert.True(result.Succeeded, result.Error?.Message);
            reports.Add(result.PreviousUnload);
            string version = i % 2 == 0 ? "2" : "1";
            Assert.True(await web.AnswersAsync("/plugins/WebPlugin/api/greetings/ada", $$"""{"text":"controller says hello ada","version":"{{version}}"}"""));
        }
        await stop.CancelAsync();
        await Task.WhenAll(clients).WaitAsync(TimeSpan.FromSeconds(30));

        output.WriteLine($"{answers.Count} controller requests by 4 clients during {Reloads} reloads, {retried} retried after 503 PB0314; answers: {string.Join(", ", answers.GroupBy(a => a).Select(g => $"{g.Key}: {g.Count()}"))}");
        Assert.True(answers.Count > Reloads, $"only {answers.Count} requests were made");
        Assert.All(answers, a => Assert.True(a is "200 v1" or "200 v2", $"a controller request failed during the reloads: {a}"));
        Assert.All(reports, r => Assert.True(r?.Collected, $"an old version was not collected: {string.Join("; ", r?.Suspects ?? [])}; roots: {string.Join("; ", r?.Roots ?? [])}"));
    }

    private static async Task<string> Ask(HttpClient client)
    {
        using HttpResponseMessage response = await client.GetAsync("/plugins/WebPlugin/api/greetings/ada");
        string body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, body) switch
        {
            (HttpStatusCode.OK, """{"text":"controller says hello ada","version":"1"}""") => "200 v1",
            (HttpStatusCode.OK, """{"text":"controller says hello ada","version":"2"}""") => "200 v2",
            (HttpStatusCode.ServiceUnavailable, _) when body.Contains("\"code\":\"PB0314\"", StringComparison.Ordinal)
                && response.Headers.RetryAfter?.Delta == TimeSpan.Zero => "503 PB0314 retry after 0",
            _ => $"{(int)response.StatusCode} {body}",
        };
    }

    [Fact]
    public async Task Controllers_appear_on_load_change_on_reload_and_vanish_on_unload_and_the_plugin_is_collected()
    {
        using var folder = new PluginFolder("WebPlugin");
        await using WebHost web = await WebHost.StartAsync(folder.Root, mvc: true);
        LoadedPlugin<IWebPlugin> plugin = web.Plugin("WebPlugin");

        Assert.Equal((HttpStatusCode.OK, """{"text":"controller says hello ada","version":"1"}"""), await web.GetAsync("/plugins/WebPlugin/api/greetings/ada"));
        Assert.Equal(HttpStatusCode.NotFound, (await web.GetAsync("/api/greetings/ada")).Status);

        folder.Overwrite("WebPlugin", "WebPluginV2");
        WeakReference first = WeakInstance(plugin);
        ReloadResult reload = await plugin.ReloadAsync();
        Assert.True(reload.Succeeded, reload.Error?.Message);
        Assert.Equal((HttpStatusCode.OK, """{"text":"controller says hello ada","version":"2"}"""), await web.GetAsync("/plugins/WebPlugin/api/greetings/ada"));
        Assert.True(reload.PreviousUnload?.Collected, $"version 1 was not collected: {string.Join("; ", web.Log.Entries.Where(e => e.EventId.Id == 8005).Select(e => e.Message))} {string.Join("; ", reload.PreviousUnload?.Suspects ?? [])}; roots: {string.Join("; ", reload.PreviousUnload?.Roots ?? [])}");

        WeakReference second = WeakInstance(plugin);
        UnloadReport unload = await plugin.UnloadAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await web.GetAsync("/plugins/WebPlugin/api/greetings/ada")).Status);
        Assert.True(unload.Collected, $"version 2 was not collected: {string.Join("; ", unload.Suspects)}; roots: {string.Join("; ", unload.Roots)}");
        Assert.True(GcLoop.Until(() => !first.IsAlive && !second.IsAlive), "a version's entry instance is still alive");
        Assert.Equal(HttpStatusCode.OK, (await web.GetAsync("/host")).Status);
    }

    // Found by the web sample: a controller action taking a plugin's type as its request body left the plugin pinned
    // by the host's TypeDescriptor and by MVC's second parameter-binding cache (ParameterBindingMethodCache.NonThrowingInstance).
    [Fact]
    public async Task A_controller_that_binds_a_request_body_of_a_plugin_type_is_collected_after_unload()
    {
        using var folder = new PluginFolder("WebPlugin");
        await using WebHost web = await WebHost.StartAsync(folder.Root, mvc: true);
        LoadedPlugin<IWebPlugin> plugin = web.Plugin("WebPlugin");
        using (var body = new StringContent("""{"text":"hi","version":"?"}""", System.Text.Encoding.UTF8, "application/json"))
        using (HttpResponseMessage posted = await web.Client.PostAsync("/plugins/WebPlugin/api/greetings", body))
        {
            Assert.Equal((HttpStatusCode.OK, """{"text":"controller got hi","version":"1"}"""), (posted.StatusCode, await posted.Content.ReadAsStringAsync()));
        }
        WeakReference instance = WeakInstance(plugin);

        UnloadReport unload = await plugin.UnloadAsync();

        Assert.True(unload.Collected, $"not collected: {string.Join("; ", web.Log.Entries.Where(e => e.EventId.Id == 8005).Select(e => e.Message))} {string.Join("; ", unload.Suspects)}; roots: {string.Join("; ", unload.Roots)}");
        Assert.True(GcLoop.Until(() => !instance.IsAlive), "the entry instance is still alive");
    }

    // Warning 8005: ASP.NET Core's caches are reached through its internals; an ASP.NET Core that renamed one is
    // played by pointing the cleanup at names that do not exist. The cache is named, and the unload report says the
    // plugin stayed (the minimal-API cache keeps the plugin's RequestCounter type).
    [Fact]
    public async Task A_cache_the_cleanup_cannot_find_is_named_in_warning_8005_and_the_report_says_not_collected()
    {
        string cacheType = Internal.ParameterBindingCaches.CacheType;
        IReadOnlyList<(Type Service, string Implementation, string Field)> mvcCaches = Mvc.MvcCaches.Caches;
        try
        {
            Internal.ParameterBindingCaches.CacheType = "Microsoft.AspNetCore.Http.RenamedParameterBindingMethodCache";
            Mvc.MvcCaches.Caches = [.. mvcCaches.Select((c, i) => i == 0 ? c with { Field = "_renamedMetadataCache" } : c)];
            using var folder = new PluginFolder("WebPlugin");
            await using WebHost web = await WebHost.StartAsync(folder.Root, mvc: true);
            LoadedPlugin<IWebPlugin> plugin = web.Plugin("WebPlugin");
            Assert.Equal(HttpStatusCode.OK, (await web.GetAsync("/plugins/WebPlugin/counter")).Status);
            Assert.Equal(HttpStatusCode.OK, (await web.GetAsync("/plugins/WebPlugin/api/greetings/ada")).Status);

            UnloadReport unload = await plugin.UnloadAsync();

            List<string> warnings = [.. web.Log.Entries.Where(e => e.EventId.Id == 8005).Select(e => e.Message)];
            Assert.Contains("Plugin WebPlugin: ASP.NET Core's cache Microsoft.AspNetCore.Http.RenamedParameterBindingMethodCache.Instance was not found, so the plugin types it may hold were not removed; if the unload report says the plugin was not collected, that cache may be why", warnings);
            Assert.Contains("Plugin WebPlugin: ASP.NET Core's cache Microsoft.AspNetCore.Mvc.ModelBinding.Metadata.DefaultModelMetadataProvider._renamedMetadataCache was not found, so the plugin types it may hold were not removed; if the unload report says the plugin was not collected, that cache may be why", warnings);
            Assert.All(web.Log.Entries.Where(e => e.EventId.Id == 8005), e => Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, e.Level));
            Assert.False(unload.Collected);
            Assert.Contains(unload.Roots, r => r.ToString()!.Contains("ParameterBindingMethodCache", StringComparison.Ordinal));
        }
        finally
        {
            Internal.ParameterBindingCaches.CacheType = cacheType;
            Mvc.MvcCaches.Caches = mvcCaches;
        }
    }

    [Fact]
    public async Task The_host_s_authorization_policy_applies_to_plugin_controllers()
    {
        using var folder = new PluginFolder("WebPlugin");
        await using WebHost web = await WebHost.StartAsync(folder.Root, o => o.AuthorizationPolicy = "plugins", authentication: true, mvc: true);

        Assert.Equal(HttpStatusCode.Unauthorized, (await web.GetAsync("/plugins/WebPlugin/api/greetings/ada")).Status);
        using HttpResponseMessage response = await web.SendAsync("/plugins/WebPlugin/api/greetings/ada", user: "ada");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("WebPlugin 1.0.0", Assert.Single(response.Headers.GetValues("X-Plugin")));
    }

    [Fact]
    public async Task A_controller_runs_in_a_scope_of_the_plugin_s_own_services_and_its_failure_answers_problem_details()
    {
        using var folder = new PluginFolder("WebPlugin");
        await using WebHost web = await WebHost.StartAsync(folder.Root, mvc: true);

        // Created with the plugin's own scoped RequestCounter (the host does not know the type), one per request.
        Assert.Equal((HttpStatusCode.OK, "1 use, disposed so far: 0"), await web.GetAsync("/plugins/WebPlugin/api/greetings/counter"));
        Assert.Equal((HttpStatusCode.OK, "1 use, disposed so far: 1"), await web.GetAsync("/plugins/WebPlugin/api/greetings/counter"));

        using HttpResponseMessage response = await web.SendAsync("/plugins/WebPlugin/api/greetings/boom");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"code\":\"PB0801\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(web.Log.Entries, e => e.EventId.Id == 8003 && e.Message.Contains("Its endpoint GET /plugins/WebPlugin/api/greetings/boom threw System.InvalidOperationException: the plugin's controller failed on purpose", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await web.GetAsync("/plugins/WebPlugin/api/greetings/ada")).Status);
    }

    [Fact]
    public async Task A_controller_request_routed_to_the_replaced_version_answers_503_with_retry_and_the_next_reaches_the_new()
    {
        using var folder = new PluginFolder("WebPlugin");
        await using WebHost web = await WebHost.StartAsync(folder.Root, mvc: true);
        LoadedPlugin<IWebPlugin> plugin = web.Plugin("WebPlugin");
        Task<(HttpStatusCode, string)> inFlight = web.GetAsync("/plugins/WebPlugin/slow");
        Assert.True(web.Entered.Wait(TimeSpan.FromSeconds(10)), "the slow request never reached the plugin");
        folder.Overwrite("WebPlugin", "WebPluginV2");
        Task<ReloadResult> reload = plugin.ReloadAsync();
        for (long deadline = Environment.TickCount64 + 10_000; plugin.Generation < 2 && Environment.TickCount64 < deadline; await Task.Delay(10))
        {
        }
        Assert.Equal(2, plugin.Generation);

        // Version 1 drains (its slow request holds it), version 2 is current; MVC still routes to version 1's action.
        using (HttpResponseMessage stale = await web.SendAsync("/plugins/WebPlugin/api/greetings/ada"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, stale.StatusCode);
            Assert.Equal(TimeSpan.Zero, stale.Headers.RetryAfter?.Delta);
            Assert.Contains("\"code\":\"PB0314\"", await stale.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        Assert.True(await web.AnswersAsync("/plugins/WebPlugin/api/greetings/ada", """{"text":"controller says hello ada","version":"2"}"""), "version 2's controller never answered");

        web.Gate.Release();
        Assert.Equal((HttpStatusCode.OK, "slow from v1"), await inFlight.WaitAsync(TimeSpan.FromSeconds(10)));
        ReloadResult result = await reload.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(result.PreviousUnload?.Collected, $"version 1 was not collected: {string.Join("; ", result.PreviousUnload?.Suspects ?? [])}");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference WeakInstance(LoadedPlugin<IWebPlugin> plugin) => new(plugin.Instances[0]);
}
