using System.Runtime.Loader;

namespace Plugboard.Tests;

/// <summary>Discovery reads metadata only: nothing loaded, nothing run, nothing left open.</summary>
public sealed class DiscoveryTests
{
    [Fact]
    public void Discovery_reads_identity_entry_points_and_references_without_loading_anything()
    {
        using var plugins = new PluginFolder("DiscoveryOnlyPlugin", "IdentityPlugin");
        var host = new PluginHost<ILedgerPlugin>();

        PluginCatalog catalog = host.Discover(plugins.Root);

        PluginCatalogEntry entry = catalog.Find("DiscoveryOnlyPlugin")!;
        Assert.True(entry.IsCompatible, entry.Verdict);
        Assert.Equal(PluginKind.Managed, entry.Kind);
        Assert.Equal("0.1.0", entry.Version!.ToNormalizedString()); // the repository-wide <Version>
        Assert.Equal(["DiscoveryOnlyPlugin.Plugin"], entry.EntryTypes);
        AssemblyReference api = Assert.Single(entry.HostApiReferences);
        Assert.Equal(("TestApi", new Version(1, 2, 0, 0)), (api.Name, api.Version));
        Assert.Contains(entry.References, r => r is { Name: "Newtonsoft.Json", Resolution: AssemblyResolution.Private });
        Assert.Contains(entry.References, r => r is { Name: "System.Runtime", Resolution: AssemblyResolution.Framework });
        Assert.Equal("2.1.0", catalog.Find("IdentityPlugin")!.Version!.ToNormalizedString());

        // Nothing was loaded into any context, no plugin code ran, no file stayed open.
        Assert.DoesNotContain(AppDomain.CurrentDomain.GetAssemblies(), a => a.GetName().Name == "DiscoveryOnlyPlugin");
        Assert.DoesNotContain(AssemblyLoadContext.All.SelectMany(c => c.Assemblies), a => a.GetName().Name == "DiscoveryOnlyPlugin");
        Assert.DoesNotContain(AssemblyLoadContext.All, c => c.Name?.StartsWith("Plugboard:DiscoveryOnly", StringComparison.Ordinal) == true);
        Assert.Null(Environment.GetEnvironmentVariable("PLUGBOARD_DISCOVERY_RAN_PLUGIN_CODE"));
        Assert.Empty(OpenFiles.Under(plugins.Root));
        Assert.Empty(OpenFiles.MappedUnder(plugins.Root));
    }

    [Fact]
    public void A_missing_plugins_folder_is_a_typed_error()
    {
        var host = new PluginHost<ILedgerPlugin>();
        string missing = Path.Combine(Path.GetTempPath(), "plugboard-missing-" + Guid.NewGuid().ToString("N"));

        PluginException error = Assert.Throws<PluginException>(() => host.Discover(missing));

        Assert.Equal(PluginErrorCode.DirectoryNotFound, error.Code);
        Assert.StartsWith("PB0101", error.Message, StringComparison.Ordinal);
        Assert.Contains("The plugins folder does not exist.", error.Message, StringComparison.Ordinal);
        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Entry_types_are_found_from_metadata_or_declared_by_attribute_or_manifest()
    {
        using var plugins = new PluginFolder("IdentityPlugin", "Json13Plugin");
        File.WriteAllText(plugins.PathOf("Json13Plugin", "plugin.json"),
            """{ "id": "json-tools", "version": "3.0.0-beta.1", "entryTypes": ["Json13Plugin.JsonPlugin"], "description": "JSON things" }""");
        var host = new PluginHost<ILedgerPlugin>();

        PluginCatalog catalog = host.Discover(plugins.Root);

        Assert.Equal(["IdentityPlugin.IdentityPlugin"], catalog.Find("IdentityPlugin")!.EntryTypes);
        PluginCatalogEntry fromManifest = catalog.Find("json-tools")!;
        Assert.Equal("3.0.0-beta.1", fromManifest.Version!.ToNormalizedString());
        Assert.Equal(["Json13Plugin.JsonPlugin"], fromManifest.EntryTypes);
        Assert.Equal("JSON things", fromManifest.Manifest!.Description);
    }
}
