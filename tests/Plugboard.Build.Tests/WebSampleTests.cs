namespace Plugboard.Build.Tests;

/// <summary>The Notebook web sample, run as the README says (<c>--self-test</c>): real Kestrel on loopback, its plugin replaced while it serves.</summary>
public sealed class WebSampleTests
{
    [Fact]
    public void The_web_sample_serves_the_plugin_s_endpoint_and_controller_reloads_it_live_and_unloads_it()
    {
        string web = Repo.Path($"samples/Notebook.Web/bin/{Repo.Configuration}/net10.0/Notebook.Web.dll");

        ProcessResult run = DotNet.Run("dotnet", [web, "--self-test"], workingDirectory: Repo.Root, timeout: TimeSpan.FromMinutes(2));

        Assert.True(run.ExitCode == 0, run.ToString());
        string[] lines = run.Output.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        string Line(string start) => lines.Single(l => l.StartsWith(start, StringComparison.Ordinal));
        Assert.StartsWith("Notebook web sample on http://127.0.0.1:", Line("Notebook web sample on "), StringComparison.Ordinal);
        Assert.Equal("loaded: notes-web 1.0.0", Line("loaded: "));
        // Version 1: its minimal-API endpoint and its controller, over the host's NotebookStore; no route of version 2.
        Assert.Contains("\"servedBy\":\"NotesWeb v1\"", Line("GET /plugins/notes-web/api/notes/1 -> 200 "), StringComparison.Ordinal);
        Assert.Equal("POST /plugins/notes-web/api/notes -> 201 {\"id\":3,\"title\":\"Plugins on the web\",\"words\":5,\"servedBy\":\"NotesWeb v1\"}", Line("POST "));
        Assert.Equal("GET /plugins/notes-web/search?q=flour -> 404 ", lines.First(l => l.StartsWith("GET /plugins/notes-web/search", StringComparison.Ordinal)));
        // Replaced while serving (hot reload of the copied files), the old version collected.
        Assert.Matches(@"^reloaded: notes-web 1\.0\.0 -> 2\.0\.0 in \d+ ms; old version collected$", Line("reloaded: "));
        Assert.Equal("GET /plugins/notes-web/api/notes/3 -> 200 {\"id\":3,\"title\":\"Plugins on the web\",\"words\":5,\"servedBy\":\"NotesWeb v2\"}", Line("GET /plugins/notes-web/api/notes/3 "));
        Assert.Equal("GET /plugins/notes-web/search?q=flour -> 200 [{\"id\":2,\"title\":\"Bread\",\"words\":20,\"servedBy\":\"NotesWeb v2\"}]", Line("GET /plugins/notes-web/search?q=flour -> 200"));
        // Unloaded: collected, and both the endpoint and the controller answer 404.
        Assert.StartsWith("unloaded: notes-web: collected", Line("unloaded: "), StringComparison.Ordinal);
        Assert.Equal(2, lines.Count(l => l is "GET /plugins/notes-web/notes -> 404 " or "GET /plugins/notes-web/api/notes/1 -> 404 "));
        Assert.Equal("self-test passed", lines.Last(l => l.Length > 0));
    }
}
