using Notebook.Api;

namespace Plugboard.Build.Tests;

/// <summary>The inner loop the kit promises: edit the plugin, build, and the running host reloads it.</summary>
[Collection(DotNetCollection.Name)]
public sealed class InnerLoopTests
{
    [Fact]
    public async Task Building_a_plugin_with_PlugboardPluginsDirectory_reloads_it_in_a_running_host()
    {
        using var dir = new TempDirectory("inner-loop");
        string project = dir.Write("Shouty/Shouty.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <Import Project="{Repo.KitProps}" />
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Version>1.0.0</Version>
                <Description>Shouts note titles</Description>
                <PlugboardPluginsDirectory>../plugins</PlugboardPluginsDirectory>
              </PropertyGroup>
              <ItemGroup>
                <PlugboardHostApi Include="{Repo.Path("samples/Notebook.Api/Notebook.Api.csproj")}" />
              </ItemGroup>
              <Import Project="{Repo.KitTargets}" />
            </Project>
            """);
        string source = dir.Write("Shouty/Shouty.cs", Plugin("ToUpperInvariant"));
        ProcessResult first = DotNet.Build(project);
        Assert.True(first.ExitCode == 0, first.ToString());

        string plugins = dir.Path("plugins");
        await using var host = new PluginHost<INoteProcessor>();
        PluginLoadResult<INoteProcessor> result = await host.LoadAllAsync(host.Discover(plugins));
        LoadedPlugin<INoteProcessor> plugin = Assert.Single(result.Loaded);
        Assert.Equal("Shouts note titles", plugin.Entry.Manifest?.Description);
        var note = new Note("Trip", "to Lisbon");
        Assert.Equal("TRIP", plugin.Invoke(p => p.Process(note, new NotebookStore())));
        var reloaded = new TaskCompletionSource<PluginEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        host.PluginReloaded += (_, e) => reloaded.TrySetResult(e);
        host.PluginReloadFailed += (_, e) => reloaded.TrySetException(e.Error!);
        int reloads = 0;
        host.PluginReloaded += (_, _) => Interlocked.Increment(ref reloads);
        await using PluginDirectoryWatcher<INoteProcessor> watcher = host.Watch(plugins);

        // Every change the deploy makes in the plugin's folder, in order.
        string folder = Path.Combine(plugins, "Shouty");
        var changes = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var recorder = new FileSystemWatcher(folder) { NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size };
        recorder.Created += (_, e) => changes.Enqueue($"created {e.Name}");
        recorder.Changed += (_, e) => changes.Enqueue($"changed {e.Name}");
        recorder.Deleted += (_, e) => changes.Enqueue($"deleted {e.Name}");
        recorder.Renamed += (_, e) => changes.Enqueue($"renamed {e.Name}");
        recorder.EnableRaisingEvents = true;

        // Edit, build: the kit copies the new build into the watched folder.
        File.WriteAllText(source, Plugin("ToLowerInvariant"));
        File.WriteAllText(project, File.ReadAllText(project).Replace("<Version>1.0.0</Version>", "<Version>1.1.0</Version>", StringComparison.Ordinal));
        ProcessResult second = DotNet.Build(project);
        Assert.True(second.ExitCode == 0, second.ToString());

        PluginEventArgs e = await reloaded.Task.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(("1.0.0", "1.1.0"), (e.PreviousVersion, e.Version));
        Assert.Equal("trip", plugin.Invoke(p => p.Process(note, new NotebookStore())));

        // The update of the existing folder sat between the marker's creation and its deletion, so a host never
        // reads a mix of two builds; the marker is gone, and the host reloaded once, after it went.
        string[] seen = [.. changes];
        int markerCreated = Array.IndexOf(seen, "created .plugboard-deploying"), markerDeleted = Array.LastIndexOf(seen, "deleted .plugboard-deploying");
        Assert.True(markerCreated >= 0 && markerDeleted > markerCreated, string.Join("\n", seen));
        Assert.All(seen.Where(c => !c.EndsWith(".plugboard-deploying", StringComparison.Ordinal)), c => Assert.InRange(Array.IndexOf(seen, c), markerCreated + 1, markerDeleted - 1));
        Assert.False(File.Exists(Path.Combine(folder, ".plugboard-deploying")));
        await Task.Delay(watcher.Debounce * 3);
        Assert.Equal(1, Volatile.Read(ref reloads));
    }

    private static string Plugin(string transform) => $$"""
        using Notebook.Api;

        namespace Shouty;

        public sealed class ShoutyProcessor : INoteProcessor
        {
            public string Name => "shouty";

            public string Process(Note note, NotebookStore store) => note.Title.{{transform}}();
        }
        """;
}
