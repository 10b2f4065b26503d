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
        PluginManifest manifest = PluginManifest.ReadFrom(output)!;
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
        string core = typeof(PluginException).Assembly.Location; // the runtimes' core: the host's, never a plugin's
        _dir.Write("Leaky/Leaky.csproj", Project($"""
              <PropertyGroup><PlugboardPluginsDirectory>../host/plugins</PlugboardPluginsDirectory></PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="../Shop.Api/Shop.Api.csproj" />
                <Reference Include="Plugboard.Abstractions" HintPath="{abstractions}" />
                <Reference Include="Plugboard.Core" HintPath="{core}" />
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
        Assert.Contains("Shop.Api is the host's API: the host always uses its own copy, and a plugin that ships another one sees types that do not match the host's (InvalidCastException). Fix: reference Shop.Api compile-only: replace <ProjectReference Include=\"../Shop.Api/Shop.Api.csproj\" /> with <PlugboardHostApi Include=\"../Shop.Api/Shop.Api.csproj\" /> (or add Private=\"false\" ExcludeAssets=\"runtime\" to that reference; see docs/authoring.md#plugboard001).", build.Output, StringComparison.Ordinal);
        Assert.Contains("error PLUGBOARD001: 'Plugboard.Abstractions.dll' would be copied into the output of plugin 'Leaky'", build.Output, StringComparison.Ordinal);
        Assert.Contains("Fix: remove that reference; Plugboard.Build already references Plugboard.Abstractions compile-only", build.Output, StringComparison.Ordinal);
        Assert.Contains("error PLUGBOARD001: 'Plugboard.Core.dll' would be copied into the output of plugin 'Leaky'", build.Output, StringComparison.Ordinal);
        Assert.Contains("error PLUGBOARD002: PlugboardPluginId is 'not a valid id', which is not a plugin id.", build.Output, StringComparison.Ordinal);
        // The guard runs before anything is copied, and drops the copies: nothing shared reaches the output.
        string output = _dir.Path("Leaky", "bin", "Debug", "net10.0");
        Assert.Empty(Directory.GetFiles(output, "Shop.Api.*"));
        Assert.Empty(Directory.GetFiles(output, "Plugboard.Abstractions.*"));
        Assert.Empty(Directory.GetFiles(output, "Plugboard.Core.*"));
        // A failed build is never deployed: a host watching the plugins folder must not load it.
        Assert.False(Directory.Exists(_dir.Path("host", "plugins", "Leaky")), build.ToString());
        Assert.Contains("Leaky: not copied into ", build.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("the replacement PLUGBOARD001 names")]
    [InlineData("Private and ExcludeAssets on the reference")]
    public void Each_fix_PLUGBOARD001_suggests_for_a_ProjectReference_builds_when_applied_literally(string fix)
    {
        string project = _dir.Write("Leaky/Leaky.csproj", Project("""
              <PropertyGroup><PlugboardPluginsDirectory>../host/plugins</PlugboardPluginsDirectory></PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="../Shop.Api/Shop.Api.csproj" />
              </ItemGroup>
            """));
        _dir.Write("Leaky/Plugin.cs", "namespace Leaky; public sealed class Plugin : Shop.Api.IShopPlugin { public string Name => \"leaky\"; }");
        ProcessResult leaky = DotNet.Build(project);
        Assert.Contains("error PLUGBOARD001: 'Shop.Api.dll'", leaky.Output, StringComparison.Ordinal);

        string text = File.ReadAllText(project);
        File.WriteAllText(project, fix.StartsWith("the replacement", StringComparison.Ordinal)
            ? ApplySuggestedReplacement(leaky.Output, text)
            : text.Replace("<ProjectReference Include=\"../Shop.Api/Shop.Api.csproj\" />", "<ProjectReference Include=\"../Shop.Api/Shop.Api.csproj\" Private=\"false\" ExcludeAssets=\"runtime\" />", StringComparison.Ordinal));
        ProcessResult fixedBuild = DotNet.Build(project);

        Assert.True(fixedBuild.ExitCode == 0, fixedBuild.ToString());
        string installed = _dir.Path("host", "plugins", "Leaky");
        Assert.True(File.Exists(Path.Combine(installed, "Leaky.dll")), fixedBuild.ToString());
        Assert.False(File.Exists(Path.Combine(installed, "Shop.Api.dll")));
        using JsonDocument json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(installed, "plugin.json")));
        Assert.Equal("[2.3.0,3.0.0)", json.RootElement.GetProperty("x-hostApi").GetProperty("Shop.Api").GetString());
    }

    [Fact]
    public void A_plugin_without_a_host_API_fails_with_PLUGBOARD004_before_compiling_and_deploys_nothing()
    {
        _dir.Write("Lonely/Lonely.csproj", Project("""
              <PropertyGroup><PlugboardPluginsDirectory>../host/plugins</PlugboardPluginsDirectory></PropertyGroup>
            """));
        _dir.Write("Lonely/Plugin.cs", "namespace Lonely; public sealed class Plugin { public string Name => \"lonely\"; }");

        ProcessResult build = DotNet.Build(_dir.Path("Lonely"));

        Assert.NotEqual(0, build.ExitCode);
        Assert.DoesNotContain("MSB4184", build.Output, StringComparison.Ordinal);
        Assert.Contains("error PLUGBOARD004: Plugin 'Lonely' references no host API: it cannot implement the host's contract, and the host cannot check what it was built against. Fix: reference the host's API compile-only, as a project (<PlugboardHostApi Include=\"../MyApp.Api/MyApp.Api.csproj\" />) or as a package (<PlugboardHostApi Include=\"MyApp.Api\" Version=\"1.0.0\" />)", build.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(_dir.Path("Lonely", "bin", "Debug", "net10.0", "Lonely.dll")), "PLUGBOARD004 stops the build before compiling");
        Assert.False(Directory.Exists(_dir.Path("host", "plugins")), build.ToString());
    }

    [Fact]
    public void A_deploy_replaces_the_plugin_folder_content_and_leaves_no_stale_file()
    {
        string project = _dir.Write("Tags/Tags.csproj", Project("""
              <PropertyGroup><PlugboardPluginsDirectory>../host/plugins</PlugboardPluginsDirectory></PropertyGroup>
              <ItemGroup>
                <PlugboardHostApi Include="../Shop.Api/Shop.Api.csproj" />
                <None Include="rules-v1.txt" CopyToOutputDirectory="PreserveNewest" />
              </ItemGroup>
            """));
        _dir.Write("Tags/rules-v1.txt", "v1");
        _dir.Write("Tags/rules-v2.txt", "v2");
        _dir.Write("Tags/Tags.cs", "namespace Tags; public sealed class Tagger : Shop.Api.IShopPlugin { public string Name => \"tags\"; }");
        string installed = _dir.Path("host", "plugins", "Tags");
        ProcessResult first = DotNet.Build(project);
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(File.Exists(Path.Combine(installed, "rules-v1.txt")), first.ToString());

        // Nothing changed: the folder is left alone, so a watching host is not woken.
        ProcessResult again = DotNet.Build(project);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains($"Tags -> {installed}/ (unchanged)", again.Output, StringComparison.Ordinal);

        // The next version drops a file, and someone left a file in the plugin's folder: neither survives the deploy.
        File.WriteAllText(Path.Combine(installed, "left-behind.dll"), "not a plugin file");
        File.WriteAllText(project, File.ReadAllText(project).Replace("rules-v1.txt", "rules-v2.txt", StringComparison.Ordinal));
        ProcessResult second = DotNet.Build(project);

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(
            ["Tags.deps.json", "Tags.dll", "Tags.pdb", "Tags.runtimeconfig.json", "plugin.json", "rules-v2.txt"],
            Directory.GetFiles(installed).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        // Nothing but the plugin folder: no staging folder or half-written file is left in the plugins folder.
        Assert.Equal([installed], Directory.GetDirectories(_dir.Path("host", "plugins")));
    }

    /// <summary>Applies the "replace X with Y" of a PLUGBOARD001 message to a project file, character for character.</summary>
    internal static string ApplySuggestedReplacement(string buildOutput, string projectText)
    {
        System.Text.RegularExpressions.Match fix = System.Text.RegularExpressions.Regex.Match(buildOutput, "Fix: reference [^ ]+ compile-only: replace (<[^>]+/>) with (<[^>]+/>)");
        Assert.True(fix.Success, buildOutput);
        string reference = fix.Groups[1].Value;
        if (reference.Contains('…', StringComparison.Ordinal))
        {
            // "<PackageReference Include="X" … />": whatever attributes the user wrote.
            string start = reference[..reference.IndexOf('…', StringComparison.Ordinal)];
            int at = projectText.IndexOf(start, StringComparison.Ordinal);
            Assert.True(at >= 0, $"{start} is not in the project:\n{projectText}");
            int end = projectText.IndexOf("/>", at, StringComparison.Ordinal) + 2;
            return projectText[..at] + fix.Groups[2].Value + projectText[end..];
        }
        Assert.Contains(reference, projectText, StringComparison.Ordinal);
        return projectText.Replace(reference, fix.Groups[2].Value, StringComparison.Ordinal);
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
