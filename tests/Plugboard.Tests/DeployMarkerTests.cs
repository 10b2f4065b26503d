using System.Diagnostics;

namespace Plugboard.Tests;

/// <summary>
/// A folder that a deploy is updating file by file (Plugboard.Build's inner loop writes <c>.plugboard-deploying</c>
/// first and deletes it last) is read whole or not at all: discovery refuses it with PB0116, and a watching host
/// waits for the marker to go and then reloads once.
/// </summary>
public sealed class DeployMarkerTests
{
    private const string Marker = ".plugboard-deploying";

    [Fact]
    public async Task A_folder_being_deployed_is_refused_with_a_typed_error_and_loads_once_the_deploy_ends()
    {
        using var plugins = new PluginFolder();
        plugins.Add("ReloadablePlugin");
        plugins.Add("IdentityPlugin");
        File.WriteAllText(plugins.PathOf("ReloadablePlugin", Marker), $"pid {Environment.ProcessId}\n2026-12-01 16:00:00Z\n");
        await using var host = new PluginHost<ILedgerPlugin>();

        PluginCatalog catalog = host.Discover(plugins.Root);

        PluginCatalogEntry deploying = catalog.Entries.Single(e => e.Id == "ReloadablePlugin");
        PluginException problem = Assert.Single(deploying.Problems);
        Assert.Equal(PluginErrorCode.DeployInProgress, problem.Code);
        Assert.Equal("PB0116", problem.CodeText);
        Assert.Contains($"'{Marker}' was written by process {Environment.ProcessId} at 2026-12-01 16:00:00Z", problem.Message, StringComparison.Ordinal);
        Assert.Contains("mix of two builds", problem.Message, StringComparison.Ordinal);
        Assert.Contains("Wait for the build to finish", problem.Fix, StringComparison.Ordinal);
        // The other plugin is not affected.
        Assert.Contains(catalog.Compatible, e => e.Id == "IdentityPlugin");

        File.Delete(plugins.PathOf("ReloadablePlugin", Marker));
        PluginLoadResult<ILedgerPlugin> loaded = await host.LoadAllAsync(host.Discover(plugins.Root));
        Assert.Contains(loaded.Loaded, p => p.Id == "ReloadablePlugin");
    }

    [Fact]
    public async Task An_interrupted_deploy_says_its_process_is_gone_and_how_to_finish_it()
    {
        using var plugins = new PluginFolder();
        plugins.Add("ReloadablePlugin");
        using (Process gone = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!)
        {
            gone.WaitForExit();
            File.WriteAllText(plugins.PathOf("ReloadablePlugin", Marker), $"pid {gone.Id}\n2026-12-01 16:00:00Z\n");
        }
        await using var host = new PluginHost<ILedgerPlugin>();

        PluginException problem = Assert.Single(host.Inspect(Path.Combine(plugins.Root, "ReloadablePlugin")).Problems);

        Assert.Equal(PluginErrorCode.DeployInProgress, problem.Code);
        Assert.Contains("which is no longer running", problem.Message, StringComparison.Ordinal);
        Assert.StartsWith("The deploy was interrupted: build the plugin again", problem.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_watching_host_does_not_reload_while_the_marker_is_there_and_reloads_once_when_it_goes()
    {
        TimeSpan debounce = TimeSpan.FromMilliseconds(200);
        using var plugins = new PluginFolder();
        plugins.Add("ReloadablePlugin");
        await using var host = new PluginHost<ILedgerPlugin>();
        LoadedPlugin<ILedgerPlugin> plugin = Assert.Single((await host.LoadAllAsync(host.Discover(plugins.Root))).Loaded);
        int reloads = 0, failures = 0;
        var reloaded = new TaskCompletionSource<PluginEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        host.PluginReloaded += (_, e) =>
        {
            Interlocked.Increment(ref reloads);
            reloaded.TrySetResult(e);
        };
        host.PluginReloadFailed += (_, _) => Interlocked.Increment(ref failures);
        await using PluginDirectoryWatcher<ILedgerPlugin> watcher = host.Watch(plugins.Root, debounce);

        // A deploy in the middle: the marker, then the new build's files, with pauses longer than the debounce.
        File.WriteAllText(plugins.PathOf("ReloadablePlugin", Marker), $"pid {Environment.ProcessId}\n");
        await Task.Delay(debounce * 3);
        plugins.Overwrite("ReloadablePlugin", "ReloadablePluginV2");
        // The watcher fires on these changes and must leave the half-deployed folder alone (bounded wait: it is idle
        // once its debounce has passed and its reaction ended).
        await WaitIdle(watcher, debounce);
        Assert.Equal((0, 0), (Volatile.Read(ref reloads), Volatile.Read(ref failures)));
        Assert.StartsWith("v1:", plugin.Invoke(p => p.Describe()), StringComparison.Ordinal);

        File.Delete(plugins.PathOf("ReloadablePlugin", Marker));

        PluginEventArgs e = await reloaded.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(("1.0.0", "2.0.0"), (e.PreviousVersion, e.Version));
        Assert.StartsWith("v2:", plugin.Invoke(p => p.Describe()), StringComparison.Ordinal);
        await WaitIdle(watcher, debounce);
        Assert.Equal((1, 0), (Volatile.Read(ref reloads), Volatile.Read(ref failures)));
    }

    private static async Task WaitIdle(PluginDirectoryWatcher<ILedgerPlugin> watcher, TimeSpan debounce)
    {
        await Task.Delay(debounce * 2);
        var clock = Stopwatch.StartNew();
        while (watcher.IsBusy)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "the watcher stayed busy for 30 s");
            await Task.Delay(20);
        }
    }
}
