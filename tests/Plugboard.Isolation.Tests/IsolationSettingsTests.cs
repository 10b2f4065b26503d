using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Plugboard.Hosting;

namespace Plugboard.Isolation.Tests;

/// <summary>The isolation a generic host's plugins run with comes from the <c>Plugboard:Isolation</c> configuration section.</summary>
public sealed class IsolationSettingsTests
{
    [Fact]
    public async Task The_Plugboard_Isolation_configuration_section_runs_the_plugins_it_names_out_of_process_with_its_call_timeout()
    {
        using var plugins = new PluginFolder("CrashingPlugin", "SteadyPlugin");
        using IHost host = await StartAsync(new Dictionary<string, string?>
        {
            ["Plugboard:PluginFolders:0"] = plugins.Root,
            ["Plugboard:Isolation:OutOfProcessPlugins:0"] = "CrashingPlugin",
            ["Plugboard:Isolation:CallTimeout"] = "00:00:02",
        });
        try
        {
            var set = host.Services.GetRequiredService<IPluginSet<IProbe>>();
            Assert.Empty(set.Failures);
            LoadedPlugin<IProbe> crashing = set.Plugins.Single(p => p.Id == "CrashingPlugin");
            LoadedPlugin<IProbe> steady = set.Plugins.Single(p => p.Id == "SteadyPlugin");

            Assert.Equal(PluginIsolation.OutOfProcess, crashing.Isolation);
            Assert.NotEqual(Environment.ProcessId, crashing.Invoke(p => p.ProcessId()));
            Assert.Equal(PluginIsolation.InProcess, steady.Isolation);
            PluginException hung = Assert.Throws<PluginException>(() => crashing.Invoke(p => p.Hang()));
            Assert.Equal(PluginErrorCode.WorkerCallTimedOut, hung.Code);
            Assert.Contains("did not return within 2 s", hung.Message, StringComparison.Ordinal);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task Plugboard_IsolateUnlistedPlugins_runs_a_plugin_the_lock_file_does_not_list_out_of_process()
    {
        using var plugins = new PluginFolder("CrashingPlugin", "SteadyPlugin");
        string lockFile = Path.Combine(Path.GetDirectoryName(plugins.Root)!, $"plugboard-settings-lock-{Guid.NewGuid():N}.json");
        UnlistedPluginTests.LockAllBut(plugins.Root, "CrashingPlugin", lockFile); // SteadyPlugin vetted, CrashingPlugin not
        using IHost host = await StartAsync(new Dictionary<string, string?>
        {
            ["Plugboard:PluginFolders:0"] = plugins.Root,
            ["Plugboard:LockFile"] = lockFile,
            ["Plugboard:IsolateUnlistedPlugins"] = "true",
        });
        try
        {
            var set = host.Services.GetRequiredService<IPluginSet<IProbe>>();
            Assert.Empty(set.Failures);
            Assert.Equal(PluginIsolation.OutOfProcess, set.Plugins.Single(p => p.Id == "CrashingPlugin").Isolation);
            Assert.Equal(PluginIsolation.InProcess, set.Plugins.Single(p => p.Id == "SteadyPlugin").Isolation);
        }
        finally
        {
            await host.StopAsync();
            File.Delete(lockFile);
        }
    }

    /// <summary>A generic host of <see cref="IProbe"/> plugins configured by <paramref name="settings"/>, started.</summary>
    private static async Task<IHost> StartAsync(Dictionary<string, string?> settings)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = Path.GetTempPath() });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddLogging();
        builder.Services.AddPlugboard<IProbe>();
        IHost host = builder.Build();
        await host.StartAsync();
        return host;
    }

    [Fact]
    public void CopyTo_copies_every_isolation_setting()
    {
        var source = new PluginIsolationOptions
        {
            Default = PluginIsolation.OutOfProcess,
            HonorPluginRequests = false,
            CallTimeout = TimeSpan.FromSeconds(3),
            StartTimeout = TimeSpan.FromSeconds(4),
            CrashLimit = 9,
            CrashWindow = TimeSpan.FromSeconds(5),
            RestartDelay = TimeSpan.FromSeconds(6),
            MaxRestartDelay = TimeSpan.FromSeconds(7),
            MemoryLimit = 123456789,
            ProcessMemoryLimit = 987654321,
            StateCheckpointInterval = TimeSpan.FromSeconds(8),
            StandbyWorker = true,
        };
        source.OutOfProcessPlugins.Add("a");
        source.InProcessPlugins.Add("b");
        var target = new PluginIsolationOptions();
        target.OutOfProcessPlugins.Add("stale");

        source.CopyTo(target);

        // Every public property, so that a setting added later and forgotten in CopyTo fails here.
        foreach (PropertyInfo property in typeof(PluginIsolationOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            object? expected = property.GetValue(source), actual = property.GetValue(target);
            if (expected is ISet<string> set)
            {
                Assert.True(set.SetEquals((ISet<string>)actual!), property.Name);
            }
            else
            {
                Assert.Equal(expected, actual);
                Assert.NotEqual(property.GetValue(new PluginIsolationOptions()), expected);
            }
        }
    }
}
