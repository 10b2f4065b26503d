using System.Net;
using System.Net.Http.Json;
using Plugboard;
using Plugboard.AspNetCore;

namespace Notebook.Web;

/// <summary>
/// The sample end to end, against the running server: the plugin's endpoint and controller answer, the plugin is
/// replaced by its next version while the server runs (its files copied over, as a rebuild does; the host's hot reload
/// picks them up), both answer from the new version, and after unload both answer 404. Prints each step; exit code 0
/// when every step answered as expected.
/// </summary>
internal sealed class SelfTest(PluginHost<IWebPlugin> host, Uri address, SampleFolder plugins, string nextPlugins, Task<PluginEventArgs> reloaded)
{
    private readonly List<string> _failures = [];

    public async Task<int> RunAsync()
    {
        using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };

        await ExpectAsync(client, HttpMethod.Get, "/plugins/notes-web/notes", HttpStatusCode.OK, "NotesWeb v1");
        await ExpectAsync(client, HttpMethod.Get, "/plugins/notes-web/api/notes/1", HttpStatusCode.OK, "NotesWeb v1");
        await ExpectAsync(client, HttpMethod.Post, "/plugins/notes-web/api/notes", HttpStatusCode.Created, "\"id\":3");
        await ExpectAsync(client, HttpMethod.Get, "/plugins/notes-web/search?q=flour", HttpStatusCode.NotFound, null);

        Console.WriteLine("replacing notes-web with its next version while the server runs");
        plugins.CopyInto(Path.Combine(nextPlugins, "NotesWeb"), "NotesWeb");
        if (await Task.WhenAny(reloaded, Task.Delay(TimeSpan.FromSeconds(30))) != reloaded)
        {
            return Fail("the plugin was not reloaded within 30 s");
        }
        PluginEventArgs reload = await reloaded;
        if (reload.Unload?.Collected != true)
        {
            _failures.Add("the old version was not collected");
        }
        // The note version 1 added is the host's: version 2 serves it too.
        await ExpectAsync(client, HttpMethod.Get, "/plugins/notes-web/notes", HttpStatusCode.OK, "\"id\":3");
        await ExpectAsync(client, HttpMethod.Get, "/plugins/notes-web/api/notes/3", HttpStatusCode.OK, "NotesWeb v2");
        await ExpectAsync(client, HttpMethod.Get, "/plugins/notes-web/search?q=flour", HttpStatusCode.OK, "NotesWeb v2");

        UnloadReport unload = await host.Plugins.Single(p => p.Id == "notes-web").UnloadAsync();
        Console.WriteLine($"unloaded: {unload}");
        if (!unload.Collected)
        {
            _failures.Add("the unloaded version was not collected");
        }
        await ExpectAsync(client, HttpMethod.Get, "/plugins/notes-web/notes", HttpStatusCode.NotFound, null);
        await ExpectAsync(client, HttpMethod.Get, "/plugins/notes-web/api/notes/1", HttpStatusCode.NotFound, null);
        await ExpectAsync(client, HttpMethod.Get, "/", HttpStatusCode.OK, "[]");

        Console.WriteLine(_failures.Count == 0 ? "self-test passed" : $"self-test FAILED: {string.Join("; ", _failures)}");
        return _failures.Count == 0 ? 0 : 1;
    }

    private async Task ExpectAsync(HttpClient client, HttpMethod method, string path, HttpStatusCode status, string? bodyContains)
    {
        using var request = new HttpRequestMessage(method, path);
        if (method == HttpMethod.Post)
        {
            request.Content = JsonContent.Create(new { title = "Plugins on the web", body = "Added through the plugin's controller." });
        }
        using HttpResponseMessage response = await client.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        Console.WriteLine($"{method} {path} -> {(int)response.StatusCode} {body}");
        if (response.StatusCode != status || (bodyContains is not null && !body.Contains(bodyContains, StringComparison.Ordinal)))
        {
            _failures.Add($"{method} {path}: expected {(int)status}{(bodyContains is null ? "" : $" with {bodyContains}")}");
        }
    }

    private int Fail(string reason)
    {
        Console.WriteLine($"self-test FAILED: {reason}");
        return 1;
    }
}
