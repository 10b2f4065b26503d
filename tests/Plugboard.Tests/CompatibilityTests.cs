namespace Plugboard.Tests;

/// <summary>Compatibility is decided from metadata, before any plugin code runs.</summary>
public sealed class CompatibilityTests
{
    [Fact]
    public async Task Plugin_built_against_a_newer_API_minor_is_rejected_with_version_and_missing_members()
    {
        using var plugins = new PluginFolder("NewerMinorPlugin", "IdentityPlugin");
        await using var host = new PluginHost<ILedgerPlugin>();

        PluginCatalog catalog = host.Discover(plugins.Root);
        PluginCatalogEntry entry = catalog.Find("NewerMinorPlugin")!;

        Assert.False(entry.IsCompatible);
        PluginException version = entry.Problems.Single(p => p.Code == PluginErrorCode.HostApiVersionIncompatible);
        Assert.Equal(
            "PB0201 plugin 'NewerMinorPlugin' (" + entry.MainFile + "): The plugin was built against host API TestApi 1.3.0.0, but this host provides TestApi 1.2.0.0: " +
            "the plugin needs minor version 3 but the host's is 2, and it uses members this host lacks. " +
            "Fix: Build the plugin against TestApi 1.2 or lower (same major), or run it on a host whose TestApi is 1.3 or newer within major 1.",
            version.Message);
        PluginException members = entry.Problems.Single(p => p.Code == PluginErrorCode.HostApiMembersMissing);
        Assert.Contains("type TestApi.LedgerArchive", members.Message, StringComparison.Ordinal);
        Assert.Contains("int TestApi.LedgerArchive.Archive(TestApi.Ledger)", members.Message, StringComparison.Ordinal);

        // The bad plugin never runs; the good one loads.
        PluginLoadResult<ILedgerPlugin> result = await host.LoadAllAsync(catalog);
        Assert.Equal(["IdentityPlugin"], result.Loaded.Select(p => p.Id));
        Assert.Equal(PluginErrorCode.HostApiVersionIncompatible, Assert.Single(result.Failed).Error.Code);
        Assert.DoesNotContain(AppDomain.CurrentDomain.GetAssemblies(), a => a.GetName().Name == "NewerMinorPlugin");
    }

    [Fact]
    public void The_strict_version_rule_refuses_a_newer_minor_by_its_version_alone()
    {
        using var plugins = new PluginFolder("NewerMinorPlugin");
        var host = new PluginHost<ILedgerPlugin>(new PluginHostOptions { ApiVersionRule = ApiVersionRule.Strict });

        PluginCatalogEntry entry = host.Discover(plugins.Root).Find("NewerMinorPlugin")!;

        PluginException version = entry.Problems.First();
        Assert.Equal(PluginErrorCode.HostApiVersionIncompatible, version.Code);
        Assert.Contains("the plugin needs minor version 3 but the host's is 2, so it may use members this host lacks (rule Strict).", version.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Surface_check_catches_a_member_the_host_lacks_even_when_versions_match()
    {
        using var plugins = new PluginFolder("DriftPlugin");
        var host = new PluginHost<ILedgerPlugin>();

        PluginCatalogEntry entry = host.Discover(plugins.Root).Find("DriftPlugin")!;

        PluginException error = Assert.Single(entry.Problems);
        Assert.Equal(PluginErrorCode.HostApiMembersMissing, error.Code);
        Assert.Contains("It uses 2 host API member(s) that this host's API (TestApi 1.2.0.0) does not have: type TestApi.LedgerAudit; bool TestApi.LedgerAudit.IsBalanced(TestApi.Ledger, decimal).", error.Message, StringComparison.Ordinal);
        Assert.Contains("Fix: Rebuild the plugin against the host API version this host ships", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_private_dependency_is_found_before_loading()
    {
        using var plugins = new PluginFolder("Json13Plugin");
        File.Delete(plugins.PathOf("Json13Plugin", "Newtonsoft.Json.dll"));
        await using var host = new PluginHost<ILedgerPlugin>();

        PluginCatalogEntry entry = host.Discover(plugins.Root).Find("Json13Plugin")!;

        PluginException error = Assert.Single(entry.Problems);
        Assert.Equal(PluginErrorCode.MissingPrivateDependency, error.Code);
        Assert.Contains("The plugin references Newtonsoft.Json, which is neither shared by the host, part of .NET, nor present in the plugin folder.", error.Message, StringComparison.Ordinal);
        Assert.Contains("so Newtonsoft.Json.dll lands in its folder", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_private_dependency_older_than_referenced_is_rejected()
    {
        using var plugins = new PluginFolder("Json13Plugin");
        File.Copy(Path.Combine(PluginFolder.Built("Json12Plugin"), "Newtonsoft.Json.dll"), plugins.PathOf("Json13Plugin", "Newtonsoft.Json.dll"), overwrite: true);
        var host = new PluginHost<ILedgerPlugin>();

        PluginException error = Assert.Single(host.Discover(plugins.Root).Find("Json13Plugin")!.Problems);

        Assert.Equal(PluginErrorCode.DependencyVersionTooLow, error.Code);
        Assert.Contains("The plugin needs Newtonsoft.Json 13.0.0.0, but the plugin folder has Newtonsoft.Json 12.0.0.0 (Newtonsoft.Json.dll).", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_plugin_for_a_newer_runtime_is_rejected()
    {
        using var plugins = new PluginFolder("IdentityPlugin");
        string dll = plugins.PathOf("IdentityPlugin", "IdentityPlugin.dll");
        // Same length, so the metadata stays valid: TargetFramework becomes .NETCoreApp,Version=v99.0.
        byte[] bytes = File.ReadAllBytes(dll);
        byte[] from = System.Text.Encoding.UTF8.GetBytes(".NETCoreApp,Version=v10.0");
        byte[] to = System.Text.Encoding.UTF8.GetBytes(".NETCoreApp,Version=v99.0");
        int at = bytes.AsSpan().IndexOf(from);
        Assert.True(at > 0);
        to.CopyTo(bytes, at);
        File.WriteAllBytes(dll, bytes);
        var host = new PluginHost<ILedgerPlugin>();

        PluginException error = Assert.Single(host.Discover(plugins.Root).Find("IdentityPlugin")!.Problems);

        Assert.Equal(PluginErrorCode.RuntimeTooNew, error.Code);
        Assert.Contains($"It targets .NET 99.0, but the host runs on .NET {Environment.Version.Major}.{Environment.Version.Minor}.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_plugin_that_ships_the_host_API_gets_a_warning_and_still_uses_the_hosts_copy()
    {
        using var plugins = new PluginFolder("IdentityPlugin");
        File.Copy(typeof(Ledger).Assembly.Location, plugins.PathOf("IdentityPlugin", "TestApi.dll"));
        var host = new PluginHost<ILedgerPlugin>();

        PluginCatalogEntry entry = host.Discover(plugins.Root).Find("IdentityPlugin")!;

        Assert.True(entry.IsCompatible, entry.Verdict);
        // The warning carries its code, documented in docs/errors.md.
        Assert.Contains(entry.Warnings, w => w.StartsWith("PB0206 The plugin folder ships its own copy of 'TestApi'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sharing_the_logging_abstractions_does_not_share_their_private_dependencies()
    {
        // Microsoft.Extensions.Logging.Abstractions depends on DependencyInjection.Abstractions (ILoggingBuilder.Services
        // exposes IServiceCollection), but this plugin never takes one across the boundary: using DI 11 privately, it
        // keeps its own copy instead of being refused for the host's 10.
        using var plugins = new PluginFolder("Di11Plugin");
        var options = new PluginHostOptions();
        options.SharedAssemblies.Add(typeof(Microsoft.Extensions.Logging.ILogger).Assembly);
        await using var host = new PluginHost<ILedgerPlugin>(options);

        PluginCatalogEntry entry = host.Discover(plugins.Root).Find("Di11Plugin")!;

        Assert.True(entry.IsCompatible, string.Join("\n", entry.Problems.Select(p => p.Message)));
        Assert.Contains("Microsoft.Extensions.Logging.Abstractions", host.SharedAssemblyNames);
        Assert.DoesNotContain(entry.Warnings, w => w.Contains("DependencyInjection", StringComparison.Ordinal));
        Assert.Contains(entry.References, r => r is { Name: "Microsoft.Extensions.DependencyInjection.Abstractions", Resolution: AssemblyResolution.Private });
        PluginLoadResult<ILedgerPlugin> result = await host.LoadAllAsync(host.Discover(plugins.Root));
        LoadedPlugin<ILedgerPlugin> plugin = Assert.Single(result.Loaded);
        Assert.Equal("di11:x", plugin.Invoke(p => p.Create(1m, "x")).Memo);
        Assert.StartsWith("11.", plugin.Invoke(p => p.Describe()), StringComparison.Ordinal);
    }
}
