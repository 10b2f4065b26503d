namespace Plugboard.Isolation.Tests;

/// <summary>
/// A plugin shares its types with the plugins that depend on it (<c>plugin.json</c> <c>dependencies</c>) in one process
/// only: when the dependent or the plugin it depends on runs out of process, the dependent is refused with a typed
/// error that names both and says what to do (PB0713), and everything else loads and serves.
/// </summary>
public sealed class DependencyAcrossTheBoundaryTests
{
    [Fact]
    public async Task In_process_the_dependent_uses_the_type_of_the_plugin_it_depends_on()
    {
        await using var host = new IsolatedHost([], ["ProbeBase", "ProbeUser"]);
        await host.LoadAsync();

        Assert.Equal("probe-user: \u201cx\u201d, as probe-base says", host["probe-user"].Invoke(p => p.Echo("x")));
    }

    [Theory]
    [InlineData("probe-user")]
    [InlineData("probe-base")]
    [InlineData("both")]
    public async Task A_dependency_across_the_process_boundary_is_refused_with_a_typed_error_naming_both_plugins(string outOfProcess)
    {
        string[] isolated = outOfProcess == "both" ? ["probe-base", "probe-user"] : [outOfProcess];
        await using var host = new IsolatedHost([], ["ProbeBase", "ProbeUser"], options =>
        {
            foreach (string id in isolated)
            {
                options.Isolation.OutOfProcessPlugins.Add(id);
            }
        });

        PluginLoadResult<IProbe> result = await host.Host.LoadAllAsync(host.Host.Discover(host.Root));

        PluginFailure refused = Assert.Single(result.Failed);
        Assert.Equal("probe-user", refused.Entry.Id);
        Assert.Equal(PluginErrorCode.DependencyAcrossProcesses, refused.Error.Code);
        string where = outOfProcess == "probe-base" ? "probe-base runs out of process" : outOfProcess == "probe-user" ? "probe-user runs out of process" : "both run out of process";
        Assert.Contains($"Plugin 'probe-user' depends on plugin 'probe-base' (it uses its types), and {where}", refused.Error.Message, StringComparison.Ordinal);
        Assert.Contains("Run both in process", refused.Error.Fix, StringComparison.Ordinal);
        // The plugin depended on loads and serves where it was asked to run.
        LoadedPlugin<IProbe> provider = Assert.Single(result.Loaded);
        Assert.Equal("probe-base", provider.Id);
        Assert.Equal(outOfProcess == "probe-user" ? PluginIsolation.InProcess : PluginIsolation.OutOfProcess, provider.Isolation);
        Assert.Equal("\u201cy\u201d, as probe-base says", provider.Invoke(p => p.Echo("y")));
    }
}
