using System.Runtime.CompilerServices;

namespace Plugboard.Tests;

/// <summary>Unload is proven with weak references and GC loops, never assumed.</summary>
public sealed class UnloadTests
{
    [Theory]
    [InlineData("IdentityPlugin")]
    [InlineData("Json13Plugin")] // Newtonsoft.Json touches TypeDescriptor, whose caches pin plugins in other hosts
    public async Task Unloaded_plugins_are_collected_and_Plugboard_keeps_nothing(string name)
    {
        using var plugins = new PluginFolder(name);
        var host = new PluginHost<ILedgerPlugin>();
        (LoadedPlugin<ILedgerPlugin> plugin, WeakReference instanceType) = await LoadAndUse(host, plugins.Root);

        UnloadReport report = await plugin.UnloadAsync();

        Assert.True(report.Collected, report.ToString());
        Assert.False(instanceType.IsAlive);
        Assert.Empty(plugin.Instances);
        Assert.False(plugin.IsLoaded);
        Assert.Empty(host.Plugins);
    }

    // Found by the web sample (issue 19): MVC asks the host's TypeDescriptor for a converter of a plugin's request
    // body type, and TypeDescriptor remembers every type (and its interfaces) it checked for default providers in a
    // static dictionary its hot-reload handler does not clear; the plugin was never collected.
    [Fact]
    public async Task A_plugin_type_the_host_gave_to_its_TypeDescriptor_does_not_keep_the_plugin_alive()
    {
        using var plugins = new PluginFolder("IdentityPlugin");
        var host = new PluginHost<ILedgerPlugin>();
        (LoadedPlugin<ILedgerPlugin> plugin, WeakReference instanceType) = await LoadAndUse(host, plugins.Root);
        DescribeInTheHost(plugin);

        UnloadReport report = await plugin.UnloadAsync();

        Assert.True(report.Collected, report.ToString());
        Assert.False(instanceType.IsAlive);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void DescribeInTheHost(LoadedPlugin<ILedgerPlugin> plugin)
    {
        Type type = plugin.Instances[0].GetType();
        // The host's own TypeDescriptor (the default context's), as MVC's model metadata uses it.
        Assert.Same(System.Runtime.Loader.AssemblyLoadContext.Default, System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(typeof(System.ComponentModel.TypeDescriptor).Assembly));
        Assert.NotNull(System.ComponentModel.TypeDescriptor.GetConverter(type));
        Assert.NotNull(System.ComponentModel.TypeDescriptor.GetProperties(type));
    }

    [Fact]
    public async Task A_plugin_instance_kept_by_the_host_is_reported_not_collected_with_the_cause()
    {
        using var plugins = new PluginFolder("IdentityPlugin");
        var host = new PluginHost<ILedgerPlugin>();
        PluginLoadResult<ILedgerPlugin> result = await host.LoadAllAsync(host.Discover(plugins.Root));
        ILedgerPlugin kept = result.Instances.Single();

        UnloadReport report = await result.Loaded[0].UnloadAsync();

        Assert.False(report.Collected);
        Assert.Equal(10, report.Collections);
        Assert.Contains("1 of 1 entry instance(s) Plugboard handed out are still alive (held by the host, or by an event, cache or root named here)", report.Suspects);
        Assert.Contains("NOT collected", report.ToString(), StringComparison.Ordinal);
        GC.KeepAlive(kept);
    }

    [Fact]
    public async Task Unloading_twice_is_an_error()
    {
        using var plugins = new PluginFolder("IdentityPlugin");
        var host = new PluginHost<ILedgerPlugin>();
        PluginLoadResult<ILedgerPlugin> result = await host.LoadAllAsync(host.Discover(plugins.Root));
        await result.Loaded[0].UnloadAsync();

        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(() => result.Loaded[0].UnloadAsync());
        Assert.Equal("Plugin 'IdentityPlugin' has already been unloaded.", error.Message);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<(LoadedPlugin<ILedgerPlugin>, WeakReference)> LoadAndUse(PluginHost<ILedgerPlugin> host, string root)
    {
        PluginLoadResult<ILedgerPlugin> result = await host.LoadAllAsync(host.Discover(root));
        Assert.Empty(result.Failed);
        LoadedPlugin<ILedgerPlugin> plugin = Assert.Single(result.Loaded);
        Use(plugin);
        return (plugin, new WeakReference(plugin.Instances[0].GetType()));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Use(LoadedPlugin<ILedgerPlugin> plugin)
    {
        var ledger = new Ledger();
        plugin.Instances[0].Apply(ledger);
        plugin.Instances[0].Create(1m, "x");
        _ = plugin.Instances[0].Describe();
    }
}
