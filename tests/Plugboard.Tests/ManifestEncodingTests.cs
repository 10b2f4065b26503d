using System.Text;
using Plugboard.Metadata;

namespace Plugboard.Tests;

/// <summary>Small trust items: a byte order mark is accepted, duplicate keys are not, and a plugin cannot pose as a shared assembly.</summary>
public sealed class ManifestEncodingTests
{
    [Fact]
    public async Task A_plugin_json_saved_with_a_utf8_byte_order_mark_is_read()
    {
        using var plugins = new PluginFolder("IdentityPlugin");
        File.WriteAllText(plugins.PathOf("IdentityPlugin", "plugin.json"), """{ "id": "identity-bom", "version": "1.2.3" }""", new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        Assert.Equal(0xEF, File.ReadAllBytes(plugins.PathOf("IdentityPlugin", "plugin.json"))[0]);
        await using var host = new PluginHost<ILedgerPlugin>();

        PluginCatalogEntry entry = Assert.Single(host.Discover(plugins.Root).Entries);

        Assert.True(entry.IsCompatible, entry.Verdict);
        Assert.Equal("identity-bom", entry.Id);
        Assert.Equal("1.2.3", entry.Version!.ToNormalizedString());
    }

    [Fact]
    public void Duplicate_keys_in_plugin_json_are_rejected_instead_of_the_last_one_winning()
    {
        byte[] json = Encoding.UTF8.GetBytes("""{ "id": "vetted", "assembly": "Good.dll", "id": "other" }""");

        PluginException error = Assert.Throws<PluginException>(() => PluginManifest.Parse(json, "p", "/plugins/p/plugin.json"));

        Assert.Equal(PluginErrorCode.ManifestInvalid, error.Code);
        Assert.Contains("It is not valid JSON", error.Message, StringComparison.Ordinal);
        Assert.Contains("'id'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_plugin_named_like_Plugboard_Abstractions_is_refused_with_PB0115_and_no_false_warning()
    {
        using var plugins = new PluginFolder();
        string folder = Path.Combine(plugins.Root, "Plugboard.Abstractions");
        Directory.CreateDirectory(folder);
        File.Copy(typeof(IPluginLifecycle).Assembly.Location, Path.Combine(folder, "Plugboard.Abstractions.dll"));

        PluginCatalogEntry entry = Assert.Single(new PluginHost<ILedgerPlugin>().Discover(plugins.Root).Entries);

        PluginException problem = Assert.Single(entry.Problems);
        Assert.Equal(PluginErrorCode.PluginNamedLikeSharedAssembly, problem.Code);
        Assert.Contains("The plugin's main assembly is named 'Plugboard.Abstractions', like an assembly the host shares", problem.Message, StringComparison.Ordinal);
        Assert.Empty(entry.Warnings);
    }
}
