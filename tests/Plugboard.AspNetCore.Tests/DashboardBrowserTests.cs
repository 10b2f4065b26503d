using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Plugboard.AspNetCore.Tests.Browser;

namespace Plugboard.AspNetCore.Tests;

/// <summary>
/// The plugin dashboard in a real headless Chromium (the system's, installed by the tests when missing), against a
/// real Kestrel server with the real WebPlugin builds: the page lists the plugins, its buttons reload and unload
/// them, and it follows every change live, without a reload of the page. Unloads wait for collection, so it runs alone.
/// </summary>
[Collection(GlobalMeasurement.Name)]
public sealed class DashboardBrowserTests(ChromiumFixture chromium, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<ChromiumFixture>
{
    private const string Row = "tr[data-plugin=\"WebPlugin\"]";
    private const string Markup = "<img src=x onerror=window.injected=1>";

    [Fact]
    public async Task The_page_lists_every_plugin_with_kind_version_isolation_state_and_failures()
    {
        using var folder = new PluginFolder("WebPlugin");
        WriteBrokenPlugin(folder);
        // A folder whose name is markup: the page shows it as text and runs none of it.
        WriteBrokenPlugin(folder, Markup);
        await using WebHost web = await DashboardHost.StartAsync(folder.Root);
        BrowserPage page = await OpenAsync(web);

        Assert.Equal("WebPlugin", await CellAsync(page, Row, "id"));
        Assert.Equal("Managed", await CellAsync(page, Row, "kind"));
        Assert.Equal("1.0.0", await CellAsync(page, Row, "version"));
        Assert.Equal("in process", await CellAsync(page, Row, "isolation"));
        Assert.Equal("Active", await CellAsync(page, Row, "state"));
        Assert.Equal("0 recent error(s)", await CellAsync(page, Row, "faults"));
        Assert.Equal("0 reload(s)", await CellAsync(page, Row, "reloads"));
        Assert.Equal("none", await CellAsync(page, Row, "last-unload"));
        Assert.Equal(2, (await page.EvaluateAsync($"document.querySelectorAll('{Row} button:not([disabled])').length")).GetInt32());
        // The folders that did not load are listed too, failed, each with its typed error.
        IReadOnlyDictionary<string, PluginException> failures = web.Failures();
        Assert.Equal(2, failures.Count);
        foreach ((string id, PluginException error) in failures)
        {
            string broken = $"tr[data-plugin=\"{id.Replace("\"", "\\\"", StringComparison.Ordinal)}\"]";
            Assert.Equal("Failed", await CellAsync(page, broken, "state"));
            Assert.Equal(id, await CellAsync(page, broken, "id"));
            Assert.StartsWith(error.CodeText, await CellAsync(page, broken, "failure"), StringComparison.Ordinal);
            Assert.Equal(0, (await page.EvaluateAsync($"document.querySelectorAll('{broken} button:not([disabled])').length")).GetInt32());
        }
        Assert.Contains(failures.Keys, id => id.Contains(Markup, StringComparison.Ordinal));
        Assert.Equal(0, (await page.EvaluateAsync("document.querySelectorAll('#plugins img').length")).GetInt32());
        Assert.Equal(JsonValueKind.True, (await page.EvaluateAsync("window.injected === undefined")).ValueKind);
        Assert.Equal("3 plugin(s): 2 failed, 1 active", await page.TextAsync("#summary"));
        await page.CloseAsync();
    }

    [Fact]
    public async Task The_reload_button_reloads_the_plugin_and_the_page_shows_the_new_version_without_a_refresh()
    {
        using var folder = new PluginFolder("WebPlugin");
        WriteBrokenPlugin(folder);
        await using WebHost web = await DashboardHost.StartAsync(folder.Root);
        BrowserPage page = await OpenAsync(web);
        folder.Overwrite("WebPlugin", "WebPluginV2");

        await page.ClickAsync($"{Row} button[data-action=\"reload\"]");

        await page.WaitUntilAsync($"{Cell(Row, "version")} === '2.0.0' && {Cell(Row, "reloads")}.startsWith('1 reload(s)')", "the new version and one reload");
        Assert.Contains("succeeded, 1.0.0 → 2.0.0", await CellAsync(page, Row, "last-reload"), StringComparison.Ordinal);
        await page.WaitUntilAsync($"{Cell(Row, "last-unload")}.startsWith('collected (v1.0.0)')", "the old version's unload report");
        Assert.Equal("WebPlugin reloaded: 1.0.0 → 2.0.0, old version collected", await page.WaitForTextAsync("#message", "WebPlugin reloaded: 1.0.0 → 2.0.0, old version collected"));
        await AssertSameDocumentAsync(page);
        Assert.Equal(2, web.Plugin("WebPlugin").Generation);
        Assert.Equal((HttpStatusCode.OK, "hello from v2"), await web.GetAsync("/plugins/WebPlugin/hello"));

        string screenshot = Path.Combine(AppContext.BaseDirectory, "dashboard.png");
        await page.ScreenshotAsync(screenshot);
        output.WriteLine($"screenshot: {screenshot}");
        await page.CloseAsync();
    }

    [Fact]
    public async Task A_failed_reload_shows_the_typed_error_and_the_old_version_keeps_serving()
    {
        using var folder = new PluginFolder("WebPlugin");
        await using WebHost web = await DashboardHost.StartAsync(folder.Root);
        BrowserPage page = await OpenAsync(web);
        await File.WriteAllTextAsync(folder.PathOf("WebPlugin", "WebPlugin.dll"), "not an assembly");

        await page.ClickAsync($"{Row} button[data-action=\"reload\"]");

        await page.WaitUntilAsync($"document.querySelector('{Row} [data-field=\"action-error\"]')", "the reload's error in the page");
        PluginException error = web.Failures()["WebPlugin"];
        Assert.StartsWith(error.CodeText, error.Message, StringComparison.Ordinal);
        Assert.Equal(error.Message, await CellAsync(page, Row, "action-error"));
        await page.WaitForTextAsync("#message", $"WebPlugin: reload failed: {error.CodeText}");
        await page.WaitUntilAsync($"{Cell(Row, "reloads")}.startsWith('1 reload(s), 1 failed')", "the failed reload in the history");
        Assert.Contains($"failed, {error.CodeText}", await CellAsync(page, Row, "last-reload"), StringComparison.Ordinal);
        Assert.Equal("1.0.0", await CellAsync(page, Row, "version"));
        Assert.Equal("Active", await CellAsync(page, Row, "state"));
        Assert.Equal((HttpStatusCode.OK, "hello from v1"), await web.GetAsync("/plugins/WebPlugin/hello"));
        await page.CloseAsync();
    }

    [Fact]
    public async Task The_unload_button_unloads_the_plugin_and_the_page_marks_it_unloaded_with_its_report()
    {
        using var folder = new PluginFolder("WebPlugin");
        await using WebHost web = await DashboardHost.StartAsync(folder.Root);
        BrowserPage page = await OpenAsync(web);

        await page.ClickAsync($"{Row} button[data-action=\"unload\"]");

        await page.WaitUntilAsync($"{Cell(Row, "state")} === 'Unloaded'", "the plugin marked unloaded");
        await page.WaitUntilAsync($"{Cell(Row, "last-unload")}.startsWith('collected (v1.0.0)')", "its unload report");
        Assert.Equal("WebPlugin unloaded: collected", await page.WaitForTextAsync("#message", "WebPlugin unloaded: collected"));
        // Only its Load button is left to press.
        Assert.Equal("load", (await page.EvaluateAsync($"[...document.querySelectorAll('{Row} button:not([disabled])')].map(b => b.dataset.action).join(',')")).GetString());
        await AssertSameDocumentAsync(page);
        Assert.Empty(web.Plugins.Plugins);
        Assert.Equal(HttpStatusCode.NotFound, (await web.GetAsync("/plugins/WebPlugin/hello")).Status);

        await page.ClickAsync($"{Row} button[data-action=\"load\"]");

        await page.WaitUntilAsync($"{Cell(Row, "state")} === 'Active'", "the plugin loaded again");
        Assert.Equal("WebPlugin loaded: 1.0.0", await page.WaitForTextAsync("#message", "WebPlugin loaded: 1.0.0"));
        Assert.Equal("reload,unload", (await page.EvaluateAsync($"[...document.querySelectorAll('{Row} button:not([disabled])')].map(b => b.dataset.action).join(',')")).GetString());
        Assert.Equal((HttpStatusCode.OK, "hello from v1"), await web.GetAsync("/plugins/WebPlugin/hello"));
        await AssertSameDocumentAsync(page);
        await page.CloseAsync();
    }

    [Fact]
    public async Task A_reload_made_elsewhere_reaches_the_open_page_live()
    {
        using var folder = new PluginFolder("WebPlugin");
        // No refresh within the test: what reaches the page is the reload's event.
        await using WebHost web = await DashboardHost.StartAsync(folder.Root, o => o.RefreshInterval = TimeSpan.FromMinutes(10));
        BrowserPage page = await OpenAsync(web);
        int updates = (await page.EvaluateAsync("Number(document.body.dataset.updates)")).GetInt32();
        folder.Overwrite("WebPlugin", "WebPluginV2");

        ReloadResult result = await web.Plugin("WebPlugin").ReloadAsync();

        Assert.True(result.Succeeded, result.ToString());
        await page.WaitUntilAsync($"{Cell(Row, "version")} === '2.0.0' && {Cell(Row, "last-unload")}.startsWith('collected')", "the server-side reload on the page");
        Assert.True((await page.EvaluateAsync("Number(document.body.dataset.updates)")).GetInt32() > updates);
        await AssertSameDocumentAsync(page);
        await page.CloseAsync();
    }

    [Fact]
    public async Task An_endpoint_failure_below_the_fault_threshold_reaches_the_page_at_its_next_refresh()
    {
        using var folder = new PluginFolder("WebPlugin");
        await using WebHost web = await DashboardHost.StartAsync(folder.Root, o => o.RefreshInterval = TimeSpan.FromMilliseconds(200));
        BrowserPage page = await OpenAsync(web);

        // No plugin event announces one failed call: the page's connection finds it when it next looks.
        Assert.Equal(HttpStatusCode.InternalServerError, (await web.GetAsync("/plugins/WebPlugin/boom")).Status);

        await page.WaitUntilAsync($"{Cell(Row, "faults")}.startsWith('1 recent error(s)')", "the failed call on the page");
        Assert.Contains("the plugin's endpoint failed on purpose", await CellAsync(page, Row, "faults"), StringComparison.Ordinal);
        Assert.Equal("Active", await CellAsync(page, Row, "state"));
        await AssertSameDocumentAsync(page);
        await page.CloseAsync();
    }

    [Fact]
    public async Task Stopping_the_host_ends_the_open_page_s_live_connection()
    {
        using var folder = new PluginFolder("WebPlugin");
        await using WebHost web = await DashboardHost.StartAsync(folder.Root);
        BrowserPage page = await OpenAsync(web);
        Assert.Equal(1, web.Feed().Count);

        var stopping = Stopwatch.StartNew();
        await web.App.StopAsync();
        stopping.Stop();

        // Kestrel waits up to the host's 30 s shutdown timeout for requests still running; the live one ended at once.
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(10), $"the host took {stopping.Elapsed} to stop with a dashboard page open");
        Assert.Equal(0, web.Feed().Count);
        await page.WaitUntilAsync("document.getElementById('live').textContent === 'reconnecting'", "the page to see the connection end");
        await page.CloseAsync();
    }

    /// <summary>A page signed in as ada (the test scheme's cookie) showing the dashboard, following it live.</summary>
    private async Task<BrowserPage> OpenAsync(WebHost web)
    {
        BrowserPage page = await chromium.Browser.NewPageAsync();
        await page.SetCookieAsync("X-User", "ada", web.Client.BaseAddress!);
        await page.NavigateAsync(new Uri(web.Client.BaseAddress!, "/plugboard"));
        await page.WaitUntilAsync($"document.querySelector('{Row}') && document.getElementById('live').className === 'on'", "the dashboard to list WebPlugin, live");
        // Marks this document: a page refresh would lose the mark.
        await page.EvaluateAsync("window.sameDocument = true");
        return page;
    }

    private static async Task AssertSameDocumentAsync(BrowserPage page) =>
        Assert.Equal(JsonValueKind.True, (await page.EvaluateAsync("window.sameDocument === true")).ValueKind);

    private static string Cell(string row, string field) => $"document.querySelector('{row} [data-field=\"{field}\"]').textContent";

    private static async Task<string> CellAsync(BrowserPage page, string row, string field) =>
        (await page.EvaluateAsync($"document.querySelector('{row} [data-field=\"{field}\"]')?.textContent ?? null")).ToString();

    /// <summary>A plugin folder whose assembly is not one: it fails to load and is listed failed.</summary>
    private static void WriteBrokenPlugin(PluginFolder folder, string name = "Broken")
    {
        string broken = Path.Combine(folder.Root, name);
        Directory.CreateDirectory(broken);
        File.WriteAllText(Path.Combine(broken, "Broken.dll"), "not an assembly");
    }
}
