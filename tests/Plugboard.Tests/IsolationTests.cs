using System.Runtime.Loader;

namespace Plugboard.Tests;

/// <summary>One type identity for the host API, private versions for everything else.</summary>
public sealed class IsolationTests
{
    [Fact]
    public async Task Plugin_creates_host_types_and_works_on_host_objects_with_one_identity()
    {
        using var plugins = new PluginFolder("IdentityPlugin");
        var journal = new Journal();
        var services = new ServiceMap().With(journal);
        await using var host = new PluginHost<ILedgerPlugin>(new PluginHostOptions { Services = services });

        PluginLoadResult<ILedgerPlugin> result = await host.LoadAllAsync(host.Discover(plugins.Root));

        LoadedPlugin<ILedgerPlugin> plugin = Assert.Single(result.Loaded);
        ILedgerPlugin instance = Assert.Single(plugin.Instances);
        // Plugin -> host: an object the plugin creates is the host's type (no InvalidCastException).
        LedgerEntry created = instance.Create(42m, "from plugin");
        Assert.Same(typeof(LedgerEntry), created.GetType());
        Assert.Equal("IdentityPlugin", created.CreatedBy);
        // Host -> plugin: a host object is changed in place by plugin code.
        var ledger = new Ledger();
        ledger.Add(new LedgerEntry(10m, "host"));
        instance.Apply(ledger);
        Assert.Equal(20m, ledger.Total);
        Assert.Equal(["IdentityPlugin applied to a ledger of 2 entries"], journal.Lines);
        // The plugin's own code lives in its own context, the API in the host's.
        Assert.Equal("Plugboard:IdentityPlugin", AssemblyLoadContext.GetLoadContext(instance.GetType().Assembly)!.Name);
        Assert.Contains("sees Ledger from 'TestApi' in context 'Default'", instance.Describe(), StringComparison.Ordinal);
        Assert.Contains("IdentityPlugin 2.1.0", instance.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_plugins_use_Newtonsoft_12_and_13_at_the_same_time()
    {
        using var plugins = new PluginFolder("Json12Plugin", "Json13Plugin");
        await using var host = new PluginHost<ILedgerPlugin>();

        PluginLoadResult<ILedgerPlugin> result = await host.LoadAllAsync(host.Discover(plugins.Root));

        Assert.Empty(result.Failed);
        var byName = result.Instances.ToDictionary(i => i.Name);
        Assert.Equal("12.0.0.0", byName["json12"].Describe());
        Assert.Equal("13.0.0.0", byName["json13"].Describe());
        // Both round-trip a host type through their own serializer.
        Assert.Equal(new LedgerEntry(3m, "twelve"), byName["json12"].Create(3m, "twelve"));
        Assert.Equal(new LedgerEntry(4m, "thirteen"), byName["json13"].Create(4m, "thirteen"));
        PluginCatalogEntry entry = result.Loaded.Single(p => p.Id == "Json12Plugin").Entry;
        Assert.Contains(entry.References, r => r.Name == "Newtonsoft.Json" && r.Resolution == AssemblyResolution.Private && r.Version == new Version(12, 0, 0, 0));
    }

    [Fact]
    public async Task Plugin_with_a_native_dependency_runs_SQLite()
    {
        using var plugins = new PluginFolder("SqlitePlugin");
        await using var host = new PluginHost<ILedgerPlugin>();

        PluginLoadResult<ILedgerPlugin> result = await host.LoadAllAsync(host.Discover(plugins.Root));

        ILedgerPlugin sqlite = Assert.Single(result.Instances);
        var ledger = new Ledger();
        sqlite.Apply(ledger);
        Assert.Equal(4m, ledger.Total);
        Assert.StartsWith("3.", sqlite.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Satellite_resource_assemblies_resolve()
    {
        using var plugins = new PluginFolder("SatellitePlugin");
        await using var host = new PluginHost<ILedgerPlugin>();

        PluginLoadResult<ILedgerPlugin> result = await host.LoadAllAsync(host.Discover(plugins.Root));

        Assert.Equal("Bonjour", Assert.Single(result.Instances).Describe());
    }

    [Fact]
    public async Task Plugin_files_are_not_held_open_or_mapped_while_it_runs()
    {
        using var plugins = new PluginFolder("SqlitePlugin", "IdentityPlugin");
        await using var host = new PluginHost<ILedgerPlugin>();
        PluginLoadResult<ILedgerPlugin> result = await host.LoadAllAsync(host.Discover(plugins.Root));
        foreach (ILedgerPlugin instance in result.Instances)
        {
            instance.Apply(new Ledger()); // SQLite opens its native library now
        }

        Assert.Empty(OpenFiles.Under(plugins.Root));
        Assert.Empty(OpenFiles.MappedUnder(plugins.Root));
        // The folder can be rebuilt under the running plugins.
        string dll = plugins.PathOf("IdentityPlugin", "IdentityPlugin.dll");
        File.WriteAllBytes(dll, File.ReadAllBytes(dll));
        Directory.Delete(Path.Combine(plugins.Root, "SqlitePlugin"), recursive: true);
        Assert.Equal(new LedgerEntry(1m, "still running"), result.Instances.Single(i => i.Name == "sqlite").Create(1m, "still running"));
    }
}
