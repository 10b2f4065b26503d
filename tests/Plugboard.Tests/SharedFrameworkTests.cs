namespace Plugboard.Tests;

/// <summary>
/// A plugin built with <c>FrameworkReference Include="Microsoft.AspNetCore.App"</c> in a console host (this test
/// process runs Microsoft.NETCore.App alone): one error naming the framework, never a "missing file" per assembly
/// of the framework it uses. (Plugboard.AspNetCore.Tests loads such plugins in a web host.)
/// </summary>
public sealed class SharedFrameworkTests
{
    [Fact]
    public async Task A_console_host_refuses_a_plugin_needing_ASP_NET_Core_with_one_error_naming_the_framework()
    {
        using var plugins = new PluginFolder("WebLedgerPlugin");
        await using var host = new PluginHost<ILedgerPlugin>();

        PluginCatalogEntry entry = host.Discover(plugins.Root).Find("WebLedgerPlugin")!;

        PluginException error = Assert.Single(entry.Problems);
        Assert.Equal(PluginErrorCode.SharedFrameworkNotInHost, error.Code);
        Assert.StartsWith("PB0207 plugin 'WebLedgerPlugin'", error.Message, StringComparison.Ordinal);
        Assert.Contains("It needs the shared framework Microsoft.AspNetCore.App 10.0.0 (its runtimeconfig.json says so), but this host runs only Microsoft.NETCore.App. A plugin cannot bring a shared framework with it.", error.Message, StringComparison.Ordinal);
        Assert.Contains("Fix: Load the plugin in a host that runs Microsoft.AspNetCore.App (for ASP.NET Core: a host project with <FrameworkReference Include=\"Microsoft.AspNetCore.App\" /> or the Microsoft.NET.Sdk.Web SDK)", error.Message, StringComparison.Ordinal);
        PluginLoadResult<ILedgerPlugin> result = await host.LoadAllAsync(host.Discover(plugins.Root));
        Assert.Empty(result.Loaded);
        Assert.Equal(PluginErrorCode.SharedFrameworkNotInHost, Assert.Single(result.Failed).Error.Code);
    }

    [Fact]
    public void Without_a_runtimeconfig_the_framework_is_still_recognised_by_its_assemblies()
    {
        // A plain class library (no EnableDynamicLoading, no Plugboard.Build) writes no runtimeconfig.json.
        using var plugins = new PluginFolder("WebLedgerPlugin");
        File.Delete(plugins.PathOf("WebLedgerPlugin", "WebLedgerPlugin.runtimeconfig.json"));
        var host = new PluginHost<ILedgerPlugin>();

        PluginCatalogEntry entry = host.Discover(plugins.Root).Find("WebLedgerPlugin")!;

        // Before: four PB0203 "references Microsoft.AspNetCore.Http, which is neither shared by the host, part of .NET,
        // nor present in the plugin folder", one per framework assembly it uses.
        PluginException error = Assert.Single(entry.Problems);
        Assert.Equal(PluginErrorCode.SharedFrameworkNotInHost, error.Code);
        Assert.Contains("It needs the shared framework Microsoft.AspNetCore.App (it has no runtimeconfig.json, and its references to Microsoft.AspNetCore.Http, Microsoft.AspNetCore.Http.Abstractions, Microsoft.AspNetCore.Routing.Abstractions, Microsoft.AspNetCore.WebUtilities are that framework's), but this host runs only Microsoft.NETCore.App.", error.Message, StringComparison.Ordinal);
    }
}
