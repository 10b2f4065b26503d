using System.Text.RegularExpressions;

namespace Plugboard.Build.Tests;

/// <summary>
/// A newcomer's first hour, from the packed packages and the docs only, in a folder outside the repository: the
/// nuget.config docs/authoring.md shows, the templates installed from the package, a host API and a plugin with a
/// private dependency carrying satellite resources, a small host that loads it and watches it reload on rebuild; then
/// the classic mistakes, each stopped by the documented PLUGBOARD error with nothing deployed.
/// </summary>
[Collection(DotNetCollection.Name)]
public sealed partial class NewcomerTests(PackagesFixture packages)
{
    [Fact]
    public void From_the_packages_alone_a_newcomer_builds_loads_and_hot_reloads_a_plugin_and_each_classic_mistake_is_stopped_at_build_time()
    {
        using var dir = new TempDirectory("newcomer");
        string apiFeed = Directory.CreateDirectory(dir.Path("api-feed")).FullName;
        dir.Write("nuget.config", DocumentedNuGetConfig(packages.Feed, dir.Path("packages"), apiFeed));

        New("plugboard-hostapi", "-n", "Acme.Api", "-o", dir.Path("Acme.Api"));
        New("plugboard-plugin", "-n", "Acme.Hello", "-o", dir.Path("Acme.Hello"), "--ApiNamespace", "Acme.Api", "--PluginsDirectory", "../Host/plugins");
        WritePrivateDependencyWithSatellites(dir);
        string plugin = dir.Path("Acme.Hello", "Acme.Hello.csproj");
        File.WriteAllText(plugin, File.ReadAllText(plugin).Replace("  </ItemGroup>", "    <ProjectReference Include=\"../Acme.Texts/Acme.Texts.csproj\" />\n  </ItemGroup>", StringComparison.Ordinal));
        string source = dir.Path("Acme.Hello", "Plugin.cs");
        File.WriteAllText(source, File.ReadAllText(source).Replace("return $\"Acme.Hello received '{input}'\";", "return Acme.Texts.Greeting.For(input) + \" (v1)\";", StringComparison.Ordinal));
        WriteHost(dir);

        ProcessResult first = DotNet.Build(plugin);
        Assert.True(first.ExitCode == 0, first.ToString());
        string plugins = dir.Path("Host", "plugins");
        string installed = Path.Combine(plugins, "Acme.Hello");
        Assert.True(File.Exists(Path.Combine(installed, "Acme.Texts.dll")), first.ToString());
        Assert.True(File.Exists(Path.Combine(installed, "fr", "Acme.Texts.resources.dll")), first.ToString());
        Assert.False(File.Exists(Path.Combine(installed, "Acme.Api.dll")), "the host API stays with the host");
        ProcessResult hostBuild = DotNet.Build(dir.Path("Host"));
        Assert.True(hostBuild.ExitCode == 0, hostBuild.ToString());

        using (RunningProcess host = DotNet.Start("dotnet", [dir.Path("Host", "bin", "Debug", "net10.0", "Host.dll"), plugins]))
        {
            host.WaitForOutput("watching", TimeSpan.FromMinutes(2));
            Assert.Contains("loaded: Acme.Hello 1.0.0: Bonjour, ping (v1)", host.Output, StringComparison.Ordinal);

            // Edit, rebuild: the kit updates the plugin's folder, the watching host reloads the new version.
            File.WriteAllText(source, File.ReadAllText(source).Replace("(v1)", "(v2)", StringComparison.Ordinal));
            File.WriteAllText(plugin, File.ReadAllText(plugin).Replace("<Version>1.0.0</Version>", "<Version>1.1.0</Version>", StringComparison.Ordinal));
            ProcessResult second = DotNet.Build(plugin);
            Assert.True(second.ExitCode == 0, second.ToString());

            ProcessResult run = host.WaitForExit(TimeSpan.FromMinutes(3));
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Contains("reloaded: Acme.Hello 1.0.0 -> 1.1.0", run.Output, StringComparison.Ordinal);
            Assert.Contains("now: Bonjour, ping (v2)", run.Output, StringComparison.Ordinal);
        }

        // The classic mistakes, in one build: a plain ProjectReference and a plain PackageReference to the host API,
        // and no host API at all. Each fails with its documented code, and none reaches the plugins folder.
        ProcessResult pack = DotNet.Pack(dir.Path("Acme.Api"), apiFeed);
        Assert.True(pack.ExitCode == 0, pack.ToString());
        const string Contract = "namespace NAME; public sealed class Plugin : Acme.Api.IPlugin { public string Name => \"NAME\"; public string Execute(string input) => input; }";
        WriteMistake(dir, "ByProjectReference", "<ProjectReference Include=\"../Acme.Api/Acme.Api.csproj\" />", Contract);
        string byPackage = WriteMistake(dir, "ByPackageReference", "<PackageReference Include=\"Acme.Api\" Version=\"1.0.0\" />", Contract);
        WriteMistake(dir, "NoHostApi", "", "namespace NoHostApi; public sealed class Plugin { public string Name => \"alone\"; }");
        dir.Write("mistakes.slnx", """<Solution><Project Path="ByProjectReference/ByProjectReference.csproj" /><Project Path="ByPackageReference/ByPackageReference.csproj" /><Project Path="NoHostApi/NoHostApi.csproj" /></Solution>""");

        ProcessResult mistakes = DotNet.Build(dir.Path("mistakes.slnx"));

        Assert.NotEqual(0, mistakes.ExitCode);
        Assert.DoesNotContain("MSB4184", mistakes.Output, StringComparison.Ordinal);
        Assert.Contains("error PLUGBOARD001: 'Acme.Api.dll' would be copied into the output of plugin 'ByProjectReference'", mistakes.Output, StringComparison.Ordinal);
        Assert.Contains("error PLUGBOARD001: 'Acme.Api.dll' would be copied into the output of plugin 'ByPackageReference'", mistakes.Output, StringComparison.Ordinal);
        Assert.Contains("error PLUGBOARD004: Plugin 'NoHostApi' references no host API", mistakes.Output, StringComparison.Ordinal);
        Assert.Equal([installed], Directory.GetDirectories(plugins));

        // The fix PLUGBOARD001 prints, pasted as it is, makes the plugin build and deploy without the host API.
        File.WriteAllText(byPackage, KitTests.ApplySuggestedReplacement(MessageOf(mistakes.Output, "ByPackageReference"), File.ReadAllText(byPackage)));
        ProcessResult fixedBuild = DotNet.Build(byPackage);
        Assert.True(fixedBuild.ExitCode == 0, fixedBuild.ToString());
        Assert.True(File.Exists(Path.Combine(plugins, "ByPackageReference", "ByPackageReference.dll")), fixedBuild.ToString());
        Assert.False(File.Exists(Path.Combine(plugins, "ByPackageReference", "Acme.Api.dll")));
    }

    /// <summary>
    /// The nuget.config of docs/authoring.md, as written, with the feed path filled in. The test adds a private
    /// package cache and its own feed for the packed host API, so nothing mixes with the machine's cache.
    /// </summary>
    internal static string DocumentedNuGetConfig(string feed, string cache, string apiFeed)
    {
        string doc = File.ReadAllText(Repo.Path("docs/authoring.md"));
        Match block = XmlBlock().Matches(doc).Single(m => m.Groups[1].Value.Contains("<packageSources>", StringComparison.Ordinal));
        string config = block.Groups[1].Value;
        Assert.Contains(DocumentedFeed, config, StringComparison.Ordinal);
        return config
            .Replace(DocumentedFeed, feed, StringComparison.Ordinal)
            .Replace("<configuration>", $"<configuration>\n  <config><add key=\"globalPackagesFolder\" value=\"{cache}\" /></config>", StringComparison.Ordinal)
            .Replace("  </packageSources>", $"    <add key=\"acme-api\" value=\"{apiFeed}\" />\n  </packageSources>", StringComparison.Ordinal);
    }

    /// <summary>The feed path the docs write, for a Plugboard checkout at /path/to/plugboard.</summary>
    internal const string DocumentedFeed = "/path/to/plugboard/artifacts/packages";

    [GeneratedRegex("```xml\\n(<\\?xml.*?)```", RegexOptions.Singleline)]
    private static partial Regex XmlBlock();

    private static string MessageOf(string output, string project) =>
        output.Split('\n').First(l => l.Contains($"error PLUGBOARD001: 'Acme.Api.dll' would be copied into the output of plugin '{project}'", StringComparison.Ordinal));

    private static string WriteMistake(TempDirectory dir, string name, string reference, string code)
    {
        dir.Write($"{name}/{name}.cs", code.Replace("NAME", name, StringComparison.Ordinal));
        return dir.Write($"{name}/{name}.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <Sdk Name="Plugboard.Build" Version="{Repo.Version}" />
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <PlugboardPluginsDirectory>../Host/plugins</PlugboardPluginsDirectory>
              </PropertyGroup>
              <ItemGroup>
                {reference}
              </ItemGroup>
            </Project>
            """);
    }

    /// <summary>A plain class library the plugin uses privately, localized through a French satellite assembly.</summary>
    private static void WritePrivateDependencyWithSatellites(TempDirectory dir)
    {
        dir.Write("Acme.Texts/Acme.Texts.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><TargetFramework>net10.0</TargetFramework><Nullable>enable</Nullable></PropertyGroup>
            </Project>
            """);
        dir.Write("Acme.Texts/Greeting.cs", """
            using System.Globalization;
            using System.Resources;

            namespace Acme.Texts;

            public static class Greeting
            {
                private static readonly ResourceManager Strings = new("Acme.Texts.Strings", typeof(Greeting).Assembly);

                public static string For(string name) => $"{Strings.GetString("Hello", CultureInfo.GetCultureInfo("fr"))}, {name}";
            }
            """);
        dir.Write("Acme.Texts/Strings.resx", Resx("Hello"));
        dir.Write("Acme.Texts/Strings.fr.resx", Resx("Bonjour"));
    }

    private static string Resx(string hello) => $"""
        <?xml version="1.0" encoding="utf-8"?>
        <root>
          <resheader name="resmimetype"><value>text/microsoft-resx</value></resheader>
          <resheader name="version"><value>2.0</value></resheader>
          <resheader name="reader"><value>System.Resources.ResXResourceReader, System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089</value></resheader>
          <resheader name="writer"><value>System.Resources.ResXResourceWriter, System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089</value></resheader>
          <data name="Hello" xml:space="preserve"><value>{hello}</value></data>
        </root>
        """;

    /// <summary>A console host: loads the plugins folder, watches it, and reports the first reload.</summary>
    private static void WriteHost(TempDirectory dir)
    {
        dir.Write("Host/Host.csproj", ProjectFiles.Host("../Acme.Api/Acme.Api.csproj"));
        dir.Write("Host/Program.cs", """
            using Acme.Api;
            using Plugboard;

            string plugins = Path.GetFullPath(args[0]);
            await using var host = new PluginHost<IPlugin>();
            var reloaded = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            host.PluginReloaded += (_, e) => reloaded.TrySetResult($"reloaded: {e.PluginId} {e.PreviousVersion} -> {e.Version}");
            host.PluginReloadFailed += (_, e) => reloaded.TrySetResult($"reload failed: {e.Error?.Message}");
            PluginLoadResult<IPlugin> result = await host.LoadAllAsync(host.Discover(plugins));
            foreach (PluginFailure failure in result.Failed)
            {
                Console.WriteLine($"failed: {failure.Error.Message}");
            }
            LoadedPlugin<IPlugin> plugin = result.Loaded.Single();
            Console.WriteLine($"loaded: {plugin.Id} {plugin.Entry.Version}: {plugin.Invoke(p => p.Execute("ping"))}");
            await using PluginDirectoryWatcher<IPlugin> watcher = host.Watch(plugins);
            Console.WriteLine("watching");
            // Bounded generously: the test builds the new version meanwhile, and bounds its own wait after that build.
            string outcome = await reloaded.Task.WaitAsync(TimeSpan.FromMinutes(10));
            Console.WriteLine(outcome);
            Console.WriteLine($"now: {plugin.Invoke(p => p.Execute("ping"))}");
            return outcome.StartsWith("reloaded", StringComparison.Ordinal) ? 0 : 1;
            """);
    }

    private void New(params string[] arguments)
    {
        ProcessResult result = packages.New(arguments);
        Assert.True(result.ExitCode == 0, result.ToString());
    }
}
