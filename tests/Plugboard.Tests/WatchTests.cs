using System.Diagnostics;

namespace Plugboard.Tests;

/// <summary>The watcher reloads a plugin after the write patterns real build tools use, and picks up a real dotnet build.</summary>
[Collection(GlobalMeasurement.Name)]
public sealed class WatchTests
{
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("in-place")]
    [InlineData("delete-and-recreate")]
    [InlineData("temp-then-rename")]
    public async Task A_changed_plugin_folder_is_reloaded(string pattern)
    {
        using var plugins = new PluginFolder();
        plugins.Add("ReloadablePlugin");
        await using var host = new PluginHost<ILedgerPlugin>();
        LoadedPlugin<ILedgerPlugin> plugin = Assert.Single((await host.LoadAllAsync(host.Discover(plugins.Root))).Loaded);
        var reloaded = new TaskCompletionSource<PluginEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        host.PluginReloaded += (_, e) => reloaded.TrySetResult(e);
        host.PluginReloadFailed += (_, e) => reloaded.TrySetException(e.Error!);
        await using PluginDirectoryWatcher<ILedgerPlugin> watcher = host.Watch(plugins.Root, Debounce);

        string folder = Path.Combine(plugins.Root, "ReloadablePlugin");
        string v2 = PluginFolder.Built("ReloadablePluginV2");
        switch (pattern)
        {
            case "in-place":
                plugins.Overwrite("ReloadablePlugin", "ReloadablePluginV2");
                break;
            case "delete-and-recreate":
                Directory.Delete(folder, recursive: true);
                await Task.Delay(50);
                PluginFolder.CopyDirectory(v2, folder);
                break;
            case "temp-then-rename":
                foreach (string file in Directory.GetFiles(v2))
                {
                    string temp = Path.Combine(folder, Path.GetFileName(file) + ".tmp");
                    File.Copy(file, temp, overwrite: true);
                    File.Move(temp, Path.Combine(folder, Path.GetFileName(file)), overwrite: true);
                }
                break;
        }

        PluginEventArgs e = await reloaded.Task.WaitAsync(Patience);
        Assert.Equal(("1.0.0", "2.0.0"), (e.PreviousVersion, e.Version));
        Assert.True(e.Unload!.Collected, e.Unload.ToString());
        Assert.StartsWith("v2:", plugin.Invoke(p => p.Describe()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_real_dotnet_build_into_the_watched_folder_is_picked_up_while_the_host_runs()
    {
        using var plugins = new PluginFolder();
        plugins.Add("ReloadablePlugin");
        await using var host = new PluginHost<ILedgerPlugin>();
        LoadedPlugin<ILedgerPlugin> plugin = Assert.Single((await host.LoadAllAsync(host.Discover(plugins.Root))).Loaded);
        var reloaded = new TaskCompletionSource<PluginEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        host.PluginReloaded += (_, e) => reloaded.TrySetResult(e);
        await using PluginDirectoryWatcher<ILedgerPlugin> watcher = host.Watch(plugins.Root, TimeSpan.FromMilliseconds(500));
        using CancellationTokenSource callers = new();
        long failures = 0;
        Task calling = Task.Run(async () =>
        {
            while (!callers.IsCancellationRequested)
            {
                try
                {
                    plugin.Invoke(p => p.Create(1m, "during build"));
                }
                catch (Exception)
                {
                    Interlocked.Increment(ref failures);
                }
                await Task.Delay(1);
            }
        });

        string project = WriteStandaloneProject(plugins.Root);
        (int exit, string output) = await Run("dotnet", $"build \"{project}\" -o \"{Path.Combine(plugins.Root, "ReloadablePlugin")}\" -p:DefineConstants=V2 -p:Version=2.5.0 --nologo -v q");
        Assert.True(exit == 0, output);

        PluginEventArgs e = await reloaded.Task.WaitAsync(TimeSpan.FromSeconds(120));
        await callers.CancelAsync();
        await calling;
        Assert.Equal("2.5.0", e.Version);
        Assert.StartsWith("v2:", plugin.Invoke(p => p.Describe()), StringComparison.Ordinal);
        Assert.Equal(0, Interlocked.Read(ref failures));
        Directory.Delete(Path.GetDirectoryName(project)!, recursive: true);
    }

    [Fact]
    public async Task A_new_plugin_folder_is_loaded_when_it_appears()
    {
        using var plugins = new PluginFolder();
        await using var host = new PluginHost<ILedgerPlugin>();
        var loaded = new TaskCompletionSource<PluginEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        host.PluginLoaded += (_, e) => loaded.TrySetResult(e);
        await using PluginDirectoryWatcher<ILedgerPlugin> watcher = host.Watch(plugins.Root, Debounce);

        plugins.Add("IdentityPlugin");

        Assert.Equal("IdentityPlugin", (await loaded.Task.WaitAsync(Patience)).PluginId);
        Assert.Equal("IdentityPlugin", Assert.Single(host.Plugins).Invoke(p => p.Create(1m, "x")).CreatedBy);
    }

    /// <summary>A copy of ReloadablePlugin's project outside the repository, compiled against the test's own TestApi and Abstractions.</summary>
    private static string WriteStandaloneProject(string scratchRoot)
    {
        string directory = Path.GetFullPath(Path.Combine(scratchRoot, "..", Path.GetFileName(scratchRoot) + "-src"));
        Directory.CreateDirectory(directory);
        File.Copy(Path.Combine(TestPlugins.SourceDirectory, "ReloadablePlugin", "ReloadablePlugin.cs"), Path.Combine(directory, "ReloadablePlugin.cs"), overwrite: true);
        string api = typeof(Ledger).Assembly.Location;
        string abstractions = typeof(IPluginLifecycle).Assembly.Location;
        string project = Path.Combine(directory, "ReloadablePlugin.csproj");
        File.WriteAllText(project, $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
                <EnableDynamicLoading>true</EnableDynamicLoading>
              </PropertyGroup>
              <ItemGroup>
                <Reference Include="TestApi" HintPath="{api}" Private="false" />
                <Reference Include="Plugboard.Abstractions" HintPath="{abstractions}" Private="false" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(directory, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(directory, "Directory.Packages.props"), "<Project />");
        return project;
    }

    private static async Task<(int, string)> Run(string file, string arguments)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }
}
