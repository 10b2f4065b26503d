using System.Text;
using System.Text.Json;
using Plugboard.Metadata;

namespace Plugboard.Build.Tests;

/// <summary>
/// The kit used from source, as the repository's samples use it: real projects in a temporary folder import
/// src/Plugboard.Build/build/*.props|targets directly, and are built with dotnet build.
/// </summary>
[Collection(DotNetCollection.Name)]
public sealed class KitTests : IDisposable
{
    private readonly TempDirectory _dir = new("kit");

    public KitTests()
    {
        // The host's public API, stamped by the kit.
        _dir.Write("Shop.Api/Shop.Api.csproj", Project("""
              <PropertyGroup>
                <Version>2.3.1</Version>
                <PlugboardPublicApi>true</PlugboardPublicApi>
              </PropertyGroup>
            """));
        _dir.Write("Shop.Api/IShopPlugin.cs", "namespace Shop.Api; public interface IShopPlugin { string Name { get; } }");
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_plugin_gets_a_manifest_the_core_parser_accepts_and_is_copied_into_the_plugins_folder()
    {
        const string description = "Prices \"things\"; 50% off, C:\\tags";
        _dir.Write("PriceTags/PriceTags.csproj", Project($"""
              <PropertyGroup>
                <Version>1.4.0-beta.2</Version>
                <Description>{System.Security.SecurityElement.Escape(description)}</Description>
                <PlugboardPluginId>price-tags</PlugboardPluginId>
                <PlugboardPluginsDirectory>../host/plugins</PlugboardPluginsDirectory>
              </PropertyGroup>
              <ItemGroup>
                <PlugboardHostApi Include="../Shop.Api/Shop.Api.csproj" />
                <PlugboardEntryType Include="PriceTags.Tagger" />
                <PlugboardDependency Include="currency-rates" Version="[1.0,2.0)" />
                <PlugboardDependency Include="tax-tables" Version="3.1.0" />
              </ItemGroup>
            """));
        _dir.Write("PriceTags/Tagger.cs", "namespace PriceTags; public sealed class Tagger : Shop.Api.IShopPlugin { public string Name => \"tagger\"; }");

        ProcessResult build = DotNet.Build(_dir.Path("PriceTags"));

        Assert.True(build.ExitCode == 0, build.ToString());
        string output = _dir.Path("PriceTags", "bin", "Debug", "net10.0");
        string manifestPath = Path.Combine(output, "plugin.json");
        PluginManifest manifest = PluginManifest.Parse(File.ReadAllBytes(manifestPath), "PriceTags", manifestPath, output);
        Assert.Equal("price-tags", manifest.Id);
        Assert.Equal("1.4.0-beta.2", manifest.Version!.ToNormalizedString());
        Assert.Equal(PluginKind.Managed, manifest.Kind);
        Assert.Equal("PriceTags.dll", manifest.Assembly);
        Assert.Equal(description, manifest.Description);
        Assert.Equal(["PriceTags.Tagger"], manifest.EntryTypes);
        Assert.Collection(manifest.Dependencies.OrderBy(d => d.Id, StringComparer.Ordinal),
            d => { Assert.Equal("currency-rates", d.Id); Assert.Equal("[1.0.0, 2.0.0)", d.Versions.ToNormalizedString()); },
            d => { Assert.Equal("tax-tables", d.Id); Assert.Equal("[3.1.0, )", d.Versions.ToNormalizedString()); });
        using (JsonDocument json = JsonDocument.Parse(File.ReadAllBytes(manifestPath)))
        {
            // The host API range the plugin was compiled for: same major, this minor or higher.
            Assert.Equal("[2.3.0,3.0.0)", json.RootElement.GetProperty("x-hostApi").GetProperty("Shop.Api").GetString());
        }
        Assert.False(File.Exists(Path.Combine(output, "Shop.Api.dll")), "the host API must not be copied into the plugin's output");

        // Copied into <PlugboardPluginsDirectory>/<plugin name>/: the host's folder for this plugin.
        string installed = _dir.Path("host", "plugins", "PriceTags");
        Assert.True(File.Exists(Path.Combine(installed, "PriceTags.dll")), build.ToString());
        Assert.Equal(File.ReadAllText(manifestPath), File.ReadAllText(Path.Combine(installed, "plugin.json")));
        Assert.False(File.Exists(Path.Combine(installed, "Shop.Api.dll")));
        Assert.Contains($"PriceTags -> {installed}", build.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_plugin_that_would_ship_a_shared_host_assembly_fails_the_build_with_PLUGBOARD001()
    {
        // The classic mistake: plain references, so the host API and Plugboard.Abstractions are copied beside the plugin.
        string abstractions = typeof(IPluginLifecycle).Assembly.Location;
        _dir.Write("Leaky/Leaky.csproj", Project($"""
              <ItemGroup>
                <ProjectReference Include="../Shop.Api/Shop.Api.csproj" />
                <Reference Include="Plugboard.Abstractions" HintPath="{abstractions}" />
              </ItemGroup>
            """));
        _dir.Write("Leaky/Plugin.cs", "namespace Leaky; public sealed class Plugin : Shop.Api.IShopPlugin { public string Name => \"leaky\"; }");
        // And an invalid plugin id, in the same build.
        _dir.Write("BadId/BadId.csproj", Project("""
              <PropertyGroup><PlugboardPluginId>not a valid id</PlugboardPluginId></PropertyGroup>
              <ItemGroup><PlugboardHostApi Include="../Shop.Api/Shop.Api.csproj" /></ItemGroup>
            """));
        _dir.Write("both.slnx", """<Solution><Project Path="Leaky/Leaky.csproj" /><Project Path="BadId/BadId.csproj" /><Project Path="Shop.Api/Shop.Api.csproj" /></Solution>""");

        ProcessResult build = DotNet.Build(_dir.Path("both.slnx"));

        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains("error PLUGBOARD001: 'Shop.Api.dll' would be copied into the output of plugin 'Leaky' (from ", build.Output, StringComparison.Ordinal);
        Assert.Contains("Shop.Api is the host's API: the host always uses its own copy, and a plugin that ships another one sees types that do not match the host's (InvalidCastException). Fix: reference Shop.Api compile-only, with <PlugboardHostApi Include=\"path/to/Shop.Api.csproj or package id\" /> instead of a ProjectReference or PackageReference", build.Output, StringComparison.Ordinal);
        Assert.Contains("error PLUGBOARD001: 'Plugboard.Abstractions.dll' would be copied into the output of plugin 'Leaky'", build.Output, StringComparison.Ordinal);
        Assert.Contains("Fix: remove that reference; Plugboard.Build already references Plugboard.Abstractions compile-only", build.Output, StringComparison.Ordinal);
        Assert.Contains("error PLUGBOARD002: PlugboardPluginId is 'not a valid id', which is not a plugin id.", build.Output, StringComparison.Ordinal);
        // The guard runs before anything is copied, and drops the copies: nothing shared reaches the output.
        string output = _dir.Path("Leaky", "bin", "Debug", "net10.0");
        Assert.Empty(Directory.GetFiles(output, "Shop.Api.*"));
        Assert.Empty(Directory.GetFiles(output, "Plugboard.Abstractions.*"));
    }

    [Fact]
    public void A_host_API_project_is_stamped_and_is_not_a_plugin()
    {
        ProcessResult build = DotNet.Build(_dir.Path("Shop.Api"));

        Assert.True(build.ExitCode == 0, build.ToString());
        string output = _dir.Path("Shop.Api", "bin", "Debug", "net10.0");
        Assert.False(File.Exists(Path.Combine(output, "plugin.json")));
        Assert.False(File.Exists(Path.Combine(output, "Shop.Api.runtimeconfig.json")), "EnableDynamicLoading is for plugins only");
        byte[] assembly = File.ReadAllBytes(Path.Combine(output, "Shop.Api.dll"));
        Assert.True(Contains(assembly, Encoding.UTF8.GetBytes("Plugboard.PublicApi")), "[assembly: AssemblyMetadata(\"Plugboard.PublicApi\", \"true\")] is missing");
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    /// <summary>A net10.0 class library importing the kit from this repository.</summary>
    private static string Project(string body) => $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <Import Project="{Repo.KitProps}" />
          <PropertyGroup>
            <TargetFramework>net10.0</TargetFramework>
            <Nullable>enable</Nullable>
          </PropertyGroup>
        {body}
          <Import Project="{Repo.KitTargets}" />
        </Project>
        """;
}

/// <summary>Tests that run dotnet share one collection: one build at a time on a small machine.</summary>
[CollectionDefinition(Name)]
public sealed class DotNetCollection : ICollectionFixture<PackagesFixture>
{
    public const string Name = "dotnet";
}
