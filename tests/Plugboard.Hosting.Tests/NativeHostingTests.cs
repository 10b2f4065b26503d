using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Plugboard.Native;

namespace Plugboard.Hosting.Tests;

/// <summary>AddPlugboard loads native plugins too: through an adapter to the contract, in the same set, health and stop.</summary>
public sealed class NativeHostingTests
{
    [Fact]
    public async Task A_native_plugin_with_an_adapter_is_part_of_the_plugin_set_and_unloads_at_stop()
    {
        using var plugins = new PluginFolder("IdentityPlugin");
        string folder = Directory.CreateDirectory(Path.Combine(plugins.Root, "echo-unloadable")).FullName;
        foreach (string file in Directory.GetFiles(Path.Combine(PluginFolder.Metadata("NativeTestPluginsDirectory"), "echo-unloadable")))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }
        var unloaded = new List<UnloadReport>();
        using IHost host = GenericHost.Build(GenericHost.Folder(plugins.Root), services: s =>
            s.ConfigurePluginHost<ILedgerPlugin>(o => o.AddNativeAdapter<ILedgerPlugin>(plugin => new NativeLedger(plugin))));
        host.Services.GetRequiredService<PluginHost<ILedgerPlugin>>().PluginUnloaded += (_, e) => unloaded.Add(e.Unload!);
        await host.StartAsync();

        var set = host.Services.GetRequiredService<IPluginSet<ILedgerPlugin>>();
        Assert.Equal(["IdentityPlugin", "echo-unloadable"], set.Health.Loaded.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(PluginHealthStatus.Healthy, set.Health.Status);
        Assert.Contains("native echo", set.InvokeAll(p => p.Describe()));
        Assert.Equal(["echo-unloadable", "identity"], host.Services.GetRequiredService<IEnumerable<ILedgerPlugin>>().Select(p => p.Name).Order(StringComparer.Ordinal));

        await host.StopAsync();

        UnloadReport native = Assert.Single(unloaded, r => r.PluginId == "echo-unloadable");
        Assert.True(native.Collected, native.ToString()); // it declares itself unloadable: the library was closed
        Assert.Empty(set.Current);
    }

    private sealed class NativeLedger(NativePlugin plugin) : ILedgerPlugin
    {
        public string Name => plugin.Id;

        public LedgerEntry Create(decimal amount, string memo) => new(amount, plugin.Invoke("echo", memo));

        public void Apply(Ledger ledger) => ledger.Add(Create(0, "native"));

        public string Describe() => plugin.Invoke("echo", "native echo");
    }
}
