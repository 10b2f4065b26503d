using Plugboard.Metadata;

namespace Plugboard.Tests;

/// <summary>plugin.json is parsed strictly; every mistake is a typed error that says what to change.</summary>
public sealed class ManifestTests
{
    [Theory]
    [InlineData("{ not json", PluginErrorCode.ManifestInvalid, "It is not valid JSON")]
    [InlineData("[]", PluginErrorCode.ManifestInvalid, "The top level must be a JSON object, not Array.")]
    [InlineData("""{ "idd": "x" }""", PluginErrorCode.ManifestInvalid, "Unknown field 'idd'.")]
    [InlineData("""{ "id": "has space" }""", PluginErrorCode.ManifestInvalid, "'id' is 'has space'")]
    [InlineData("""{ "version": "one" }""", PluginErrorCode.ManifestInvalid, "'version' is 'one', which is not a semantic version")]
    [InlineData("""{ "kind": "wasm" }""", PluginErrorCode.ManifestInvalid, "'kind' is 'wasm'")]
    [InlineData("""{ "isolation": "sandboxed" }""", PluginErrorCode.ManifestInvalid, "'isolation' is 'sandboxed'; it must be 'in-process' or 'out-of-process'.")]
    [InlineData("""{ "assembly": "../other/x.dll" }""", PluginErrorCode.PathEscapesPluginDirectory, "'assembly' is '../other/x.dll', which leaves the plugin folder.")]
    [InlineData("""{ "assembly": "/etc/passwd" }""", PluginErrorCode.PathEscapesPluginDirectory, "which leaves the plugin folder")]
    [InlineData("""{ "assembly": "C:x.dll" }""", PluginErrorCode.PathEscapesPluginDirectory, "'assembly' is 'C:x.dll', which leaves the plugin folder.")]
    [InlineData("""{ "kind": "native", "native": { "abiMajor": 1, "libraries": { "linux-x64": "lib/../../x.so" } } }""", PluginErrorCode.PathEscapesPluginDirectory, "which leaves the plugin folder")]
    [InlineData("""{ "dependencies": { "core": "not-a-range" } }""", PluginErrorCode.ManifestInvalid, "Dependency 'core' has version range 'not-a-range'")]
    [InlineData("""{ "kind": "native" }""", PluginErrorCode.ManifestInvalid, "the 'native' section (abiMajor, libraries) is missing")]
    [InlineData("""{ "kind": "native", "native": { "abiMajor": 0, "libraries": {} } }""", PluginErrorCode.ManifestInvalid, "'native.abiMajor' must be a positive integer")]
    [InlineData("""{ "kind": "native", "native": { "abiMajor": 1, "libraries": {}, "interfaces": [] } }""", PluginErrorCode.ManifestInvalid, "'native.interfaces' must be an object mapping interface ids to the member hashes")]
    [InlineData("""{ "kind": "native", "native": { "abiMajor": 1, "libraries": {}, "interfaces": { "notebook.notes": [] } } }""", PluginErrorCode.ManifestInvalid, "'native.interfaces.notebook.notes' is not an interface id ('name/major'")]
    [InlineData("""{ "kind": "native", "native": { "abiMajor": 1, "libraries": {}, "interfaces": { "notebook.notes/1": ["0x12"] } } }""", PluginErrorCode.ManifestInvalid, "'native.interfaces.notebook.notes/1' holds '0x12', which is not a member hash")]
    [InlineData("""{ "kind": "native", "native": { "abiMajor": 1, "libraries": {}, "interfaces": { "notebook.notes/1": "0x0123456789abcdef" } } }""", PluginErrorCode.ManifestInvalid, "'native.interfaces.notebook.notes/1' must be an array")]
    public void Bad_manifests_are_typed_errors(string json, PluginErrorCode code, string expected)
    {
        PluginException error = Assert.Throws<PluginException>(() => PluginManifest.Parse(System.Text.Encoding.UTF8.GetBytes(json), "p", "/plugins/p/plugin.json"));

        Assert.Equal(code, error.Code);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.StartsWith($"{PluginException.FormatCode(code)} plugin 'p' (/plugins/p/plugin.json): ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_absurdly_large_manifest_is_refused_before_parsing()
    {
        byte[] huge = new byte[PluginManifest.MaxFileSize + 1];
        PluginException error = Assert.Throws<PluginException>(() => PluginManifest.Parse(huge, "p", "plugin.json"));
        Assert.Contains("the limit is 65536", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_manifest_reads_dependencies_and_the_native_section()
    {
        PluginManifest manifest = PluginManifest.Parse("""
            { "id": "wordfreq", "version": "1.2.0", "kind": "native",
              "dependencies": { "core-tools": "[1.0,2.0)", "text": "1.2.0" },
              "native": { "abiMajor": 1, "libraries": { "linux-x64": "libwordfreq.so" } },
              "x-vendor": { "anything": true } }
            """u8.ToArray(), "wordfreq", "plugin.json");

        Assert.Equal(PluginKind.Native, manifest.Kind);
        Assert.Equal(["core-tools (>= 1.0.0 && < 2.0.0)", "text (>= 1.2.0)"], manifest.Dependencies.Select(d => d.ToString()));
        Assert.Equal(1, manifest.Native!.AbiMajor);
        Assert.Equal("libwordfreq.so", manifest.Native.Libraries["linux-x64"]);
    }

    [Fact]
    public void A_manifest_path_that_is_a_symbolic_link_out_of_the_folder_is_refused()
    {
        using var plugins = new PluginFolder("IdentityPlugin");
        string link = plugins.PathOf("IdentityPlugin", "Linked.dll");
        File.CreateSymbolicLink(link, typeof(Ledger).Assembly.Location);
        File.WriteAllText(plugins.PathOf("IdentityPlugin", "plugin.json"), """{ "assembly": "Linked.dll" }""");
        var host = new PluginHost<ILedgerPlugin>();

        PluginException error = Assert.Single(host.Discover(plugins.Root).Entries).Problems.Single();

        Assert.Equal(PluginErrorCode.PathEscapesPluginDirectory, error.Code);
        Assert.Contains("a symbolic link to", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_manifest_path_through_a_symlinked_folder_out_of_the_plugin_folder_is_refused()
    {
        using var plugins = new PluginFolder("IdentityPlugin");
        Directory.CreateSymbolicLink(plugins.PathOf("IdentityPlugin", "lib"), Path.GetDirectoryName(typeof(Ledger).Assembly.Location)!);
        string fileName = Path.GetFileName(typeof(Ledger).Assembly.Location);
        File.WriteAllText(plugins.PathOf("IdentityPlugin", "plugin.json"), $$"""{ "assembly": "lib/{{fileName}}" }""");
        var host = new PluginHost<ILedgerPlugin>();

        PluginException error = Assert.Single(host.Discover(plugins.Root).Entries).Problems.Single();

        Assert.Equal(PluginErrorCode.PathEscapesPluginDirectory, error.Code);
        // The snapshot of the folder meets the linked folder before the manifest is read: the link itself is named.
        Assert.Contains($"'{plugins.PathOf("IdentityPlugin", "lib")}' is a symbolic link to '{Path.GetDirectoryName(typeof(Ledger).Assembly.Location)}', outside the plugin folder.", error.Message, StringComparison.Ordinal);
    }
}
