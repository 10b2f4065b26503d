using System.Text.Json;

namespace Plugboard.Tests;

/// <summary>Plugins that depend on plugins: order, one type identity, clear chains of errors, cascading unload and reload.</summary>
public sealed class DependencyTests
{
    [Fact]
    public async Task A_diamond_shares_the_dependency_types_with_one_identity_and_loads_in_order()
    {
        using var plugins = new PluginFolder("DepRight", "DepLeft", "DepBase");
        await using var host = new PluginHost<ILedgerPlugin>();
        var order = new List<string>();
        host.PluginLoaded += (_, e) => order.Add(e.PluginId);

        PluginLoadResult<ILedgerPlugin> result = await host.LoadAllAsync(host.Discover(plugins.Root));

        Assert.Empty(result.Failed);
        Assert.Equal("dep-base", order[0]);
        var byId = result.Loaded.ToDictionary(p => p.Id);
        string left = byId["dep-left"].Invoke(p => p.Describe());
        string right = byId["dep-right"].Invoke(p => p.Describe());
        Assert.StartsWith("Plugboard:dep-base#", left, StringComparison.Ordinal);
        Assert.Equal(left, right); // the very same Greeter Type object in both dependents
        Assert.Equal("hello you from dep-base", byId["dep-left"].Invoke(p => p.Create(1m, "you")).Memo);
        Assert.Contains(byId["dep-left"].Entry.References, r => r is { Name: "DepBase", Resolution: AssemblyResolution.Plugin });
    }

    [Fact]
    public async Task Unloading_a_dependency_unloads_its_dependents_first_and_everything_is_collected()
    {
        using var plugins = new PluginFolder("DepBase", "DepLeft", "DepRight");
        var host = new PluginHost<ILedgerPlugin>();
        var unloaded = new List<(string Id, bool Collected)>();
        host.PluginUnloaded += (_, e) => unloaded.Add((e.PluginId, e.Unload!.Collected));
        PluginLoadResult<ILedgerPlugin> result = await host.LoadAllAsync(host.Discover(plugins.Root));

        UnloadReport report = await result.Loaded.Single(p => p.Id == "dep-base").UnloadAsync();

        Assert.True(report.Collected, report.ToString());
        Assert.Equal(3, unloaded.Count);
        Assert.Equal("dep-base", unloaded[^1].Id);
        Assert.All(unloaded, u => Assert.True(u.Collected, u.Id));
        Assert.Empty(host.Plugins);
    }

    [Fact]
    public async Task Reloading_a_dependency_restarts_its_dependents_on_the_new_version()
    {
        using var plugins = new PluginFolder("DepBase", "DepLeft", "DepRight");
        await using var host = new PluginHost<ILedgerPlugin>();
        PluginLoadResult<ILedgerPlugin> result = await host.LoadAllAsync(host.Discover(plugins.Root));
        var byId = result.Loaded.ToDictionary(p => p.Id);
        string before = byId["dep-left"].Invoke(p => p.Describe());

        ReloadResult reload = await byId["dep-base"].ReloadAsync();

        Assert.True(reload.Succeeded, reload.ToString());
        Assert.True(reload.PreviousUnload!.Collected, reload.PreviousUnload.ToString());
        Assert.Equal(["dep-left", "dep-right"], reload.Dependents.Select(d => d.PluginId).Order());
        Assert.All(reload.Dependents, d => Assert.True(d.Succeeded && d.PreviousUnload!.Collected, d.ToString()));
        string after = byId["dep-left"].Invoke(p => p.Describe());
        Assert.NotEqual(before, after); // a new Greeter type, from the new dep-base context
        Assert.Equal(after, byId["dep-right"].Invoke(p => p.Describe()));
        Assert.Equal(2, byId["dep-left"].Generation);
    }

    [Fact]
    public async Task Missing_mismatched_and_cyclic_dependencies_are_explained_with_their_chain()
    {
        using var plugins = new PluginFolder();
        Manifest(plugins, "needs-missing", new { ghost = "1.0.0" });
        Manifest(plugins, "needs-newer", new Dictionary<string, string> { ["old-lib"] = "[2.0,3.0)" });
        Manifest(plugins, "old-lib", null, "1.5.0");
        Manifest(plugins, "cycle-a", new Dictionary<string, string> { ["cycle-b"] = "1.0.0" });
        Manifest(plugins, "cycle-b", new Dictionary<string, string> { ["cycle-a"] = "1.0.0" });
        Manifest(plugins, "on-top", new Dictionary<string, string> { ["needs-missing"] = "1.0.0" });
        await using var host = new PluginHost<ILedgerPlugin>();

        PluginLoadResult<ILedgerPlugin> result = await host.LoadAllAsync(host.Discover(plugins.Root));

        var errors = result.Failed.ToDictionary(f => f.Entry.Id, f => f.Error);
        Assert.Equal(PluginErrorCode.DependencyMissing, errors["needs-missing"].Code);
        Assert.Contains("It depends on 'ghost' (>= 1.0.0), which is neither in the catalog nor loaded (chain: needs-missing → ghost).", errors["needs-missing"].Message, StringComparison.Ordinal);
        Assert.Equal(PluginErrorCode.DependencyVersionMismatch, errors["needs-newer"].Code);
        Assert.Contains("It depends on 'old-lib' (>= 2.0.0 && < 3.0.0), but 'old-lib' is version 1.5.0", errors["needs-newer"].Message, StringComparison.Ordinal);
        Assert.Equal(PluginErrorCode.DependencyCycle, errors["cycle-a"].Code);
        Assert.Contains("cycle-a → cycle-b → cycle-a", errors["cycle-a"].Message, StringComparison.Ordinal);
        Assert.Equal(PluginErrorCode.DependencyCycle, errors["cycle-b"].Code);
        Assert.Equal(PluginErrorCode.DependencyFailed, errors["on-top"].Code);
        Assert.Contains("It depends on 'needs-missing', which cannot load: PB0501", errors["on-top"].Message, StringComparison.Ordinal);
        Assert.Equal(["old-lib"], result.Loaded.Select(p => p.Id));
    }

    private static void Manifest(PluginFolder plugins, string id, object? dependencies, string version = "1.0.0")
    {
        string folder = plugins.Add("IdentityPlugin", id);
        File.WriteAllText(Path.Combine(folder, "plugin.json"), JsonSerializer.Serialize(new { id, version, assembly = "IdentityPlugin.dll", dependencies }));
    }

    [Fact]
    public async Task A_dependency_exposing_a_third_party_type_the_dependent_also_ships_is_refused_naming_the_type_and_both_copies()
    {
        // json-base's public API returns Newtonsoft's JObject; json-user calls it with its own Newtonsoft.Json copy.
        // Loaded, each context has its own Newtonsoft: two JObject types, and the call fails with MissingMethodException.
        using var plugins = new PluginFolder("JsonBase", "JsonUser");
        await using var host = new PluginHost<ILedgerPlugin>();

        PluginCatalog catalog = host.Discover(plugins.Root);

        Assert.True(catalog.Find("json-base")!.IsCompatible);
        PluginCatalogEntry user = catalog.Find("json-user")!;
        PluginException conflict = Assert.Single(user.Problems);
        Assert.Equal(PluginErrorCode.PluginDependencyTypeConflict, conflict.Code);
        Assert.Contains("Its plugin dependency JsonBase exposes Newtonsoft.Json.Linq.JObject from Newtonsoft.Json in its public API, and this plugin loads its own copy of Newtonsoft.Json: "
            + $"JsonBase's ({plugins.PathOf("JsonBase", "Newtonsoft.Json.dll")}) and this plugin's ({plugins.PathOf("JsonUser", "Newtonsoft.Json.dll")}) would be two different types at run time", conflict.Message, StringComparison.Ordinal);
        Assert.Contains("Fix: Share Newtonsoft.Json through the host (PluginHostOptions.SharedAssemblies", conflict.Message, StringComparison.Ordinal);

        PluginLoadResult<ILedgerPlugin> result = await host.LoadAllAsync(catalog);
        Assert.Equal(["json-base"], result.Loaded.Select(p => p.Id));
    }

    [Fact]
    public async Task Sharing_the_third_party_library_through_the_host_gives_one_identity_and_the_diamond_works()
    {
        using var plugins = new PluginFolder("JsonBase", "JsonUser");
        var options = new PluginHostOptions();
        // The host has Newtonsoft.Json and shares it (loaded into the default context, as a host referencing it would).
        options.SharedAssemblies.Add(System.Runtime.Loader.AssemblyLoadContext.Default.LoadFromAssemblyPath(plugins.PathOf("JsonBase", "Newtonsoft.Json.dll")));
        await using var host = new PluginHost<ILedgerPlugin>(options);

        PluginCatalog catalog = host.Discover(plugins.Root);
        Assert.True(catalog.Find("json-user")!.IsCompatible, string.Join("\n", catalog.Find("json-user")!.Problems.Select(p => p.Message)));
        PluginLoadResult<ILedgerPlugin> result = await host.LoadAllAsync(catalog);

        LoadedPlugin<ILedgerPlugin> user = result.Loaded.Single(p => p.Id == "json-user");
        Assert.Equal("memo", user.Invoke(p => p.Create(1m, "memo")).Memo);
    }
}
