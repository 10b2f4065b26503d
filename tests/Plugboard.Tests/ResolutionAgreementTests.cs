using System.Runtime.Loader;

namespace Plugboard.Tests;

/// <summary>
/// The compatibility check and the load context resolve a plugin's references by one rule: where the catalog entry
/// says an assembly resolves is where it loads.
/// </summary>
public sealed class ResolutionAgreementTests
{
    /// <summary>Discovers and loads the one plugin of the folder; returns how the check resolved <paramref name="reference"/> and what the plugin's Describe says.</summary>
    private static async Task<(AssemblyReference Checked, string Loaded, LoadedPlugin<ILedgerPlugin> Plugin)> CheckAndLoad(
        PluginHost<ILedgerPlugin> host, PluginFolder plugins, string reference)
    {
        PluginCatalogEntry entry = Assert.Single(host.Discover(plugins.Root).Entries);
        LoadedPlugin<ILedgerPlugin> plugin = await host.LoadAsync(entry);
        return (entry.References.Single(r => r.Name == reference), plugin.Invoke(p => p.Describe()), plugin);
    }

    [Fact]
    public async Task A_private_framework_assembly_is_private_at_check_time_as_it_is_at_load_time()
    {
        using var plugins = new PluginFolder("TypeConverterPlugin");
        // The default options load System.ComponentModel.TypeConverter privately into each plugin's context.
        await using var host = new PluginHost<ILedgerPlugin>();

        (AssemblyReference reference, string loaded, LoadedPlugin<ILedgerPlugin> plugin) = await CheckAndLoad(host, plugins, "System.ComponentModel.TypeConverter");

        Assert.Equal("Plugboard:TypeConverterPlugin", loaded);
        Assert.Equal(AssemblyResolution.Private, reference.Resolution);
        Assert.Equal(42m, plugin.Invoke(p => p.Create(42m, "x")).Amount);
    }

    [Fact]
    public async Task A_framework_assembly_the_host_shares_is_framework_at_check_time_as_it_is_at_load_time()
    {
        using var plugins = new PluginFolder("TypeConverterPlugin");
        var options = new PluginHostOptions();
        options.PrivateFrameworkAssemblies.Clear();
        await using var host = new PluginHost<ILedgerPlugin>(options);

        (AssemblyReference reference, string loaded, _) = await CheckAndLoad(host, plugins, "System.ComponentModel.TypeConverter");

        Assert.Equal(AssemblyLoadContext.Default.Name, loaded);
        Assert.Equal(AssemblyResolution.Framework, reference.Resolution);
    }

    [Fact]
    public async Task A_framework_assembly_the_plugin_brings_a_newer_copy_of_is_private_at_check_time_as_it_is_at_load_time()
    {
        using var plugins = new PluginFolder("ImmutablePlugin");
        await using var host = new PluginHost<ILedgerPlugin>();

        (AssemblyReference reference, string loaded, _) = await CheckAndLoad(host, plugins, "System.Collections.Immutable");

        // The runtime loads the plugin's own 11.0 copy into its context (the framework's is 10.0).
        Assert.Equal("Plugboard:ImmutablePlugin 11.0.0.0", loaded);
        Assert.Equal((AssemblyResolution.Private, new Version(11, 0, 0, 0)), (reference.Resolution, reference.Version));
    }
}
