namespace Plugboard.Isolation.Tests;

/// <summary>
/// A plugin may ask for out-of-process isolation in its plugin.json; the host decides: it grants the request unless
/// it says not to, its own lists win, and a plugin can never lower the isolation the host chose.
/// </summary>
public sealed class IsolationRequestTests
{
    [Theory]
    [InlineData("out-of-process", null, PluginIsolation.OutOfProcess)]          // granted
    [InlineData("out-of-process", "ignore requests", PluginIsolation.InProcess)] // overruled by the host
    [InlineData("out-of-process", "in-process list", PluginIsolation.InProcess)] // the host's list wins
    [InlineData("in-process", "default out of process", PluginIsolation.OutOfProcess)] // a request never lowers isolation
    [InlineData(null, null, PluginIsolation.InProcess)]                          // no request: the host's default
    public async Task A_plugins_isolation_request_is_granted_or_overruled_by_the_host(string? request, string? host, PluginIsolation expected)
    {
        await using var isolated = new IsolatedHost([], ["CrashingPlugin"], options =>
        {
            options.Isolation.InProcessPlugins.Clear();
            switch (host)
            {
                case "ignore requests": options.Isolation.HonorPluginRequests = false; break;
                case "in-process list": options.Isolation.InProcessPlugins.Add("CrashingPlugin"); break;
                case "default out of process": options.Isolation.Default = PluginIsolation.OutOfProcess; break;
            }
        });
        if (request is not null)
        {
            File.WriteAllText(Path.Combine(isolated.Root, "CrashingPlugin", "plugin.json"), $$"""{ "isolation": "{{request}}" }""");
        }
        PluginCatalogEntry entry = isolated.Host.Inspect(Path.Combine(isolated.Root, "CrashingPlugin"));
        Assert.True(entry.IsCompatible, string.Join("; ", entry.Problems.Select(p => p.Message)));

        LoadedPlugin<IProbe> plugin = await isolated.Host.LoadAsync(entry);

        Assert.Equal(expected, plugin.Isolation);
        int process = plugin.Invoke(p => p.ProcessId());
        Assert.Equal(expected == PluginIsolation.InProcess, process == Environment.ProcessId);
    }
}
