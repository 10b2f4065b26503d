using System.IO.Compression;
using System.Text.Json;
using System.Xml.Linq;

namespace Plugboard.Build.Tests;

/// <summary>The NuGet packages, and plugins built from the templates against them, the way users consume Plugboard.</summary>
[Collection(DotNetCollection.Name)]
public sealed class PackagesTests(PackagesFixture packages)
{
    [Theory]
    [InlineData("Plugboard.Abstractions", true)]
    [InlineData("Plugboard.Core", true)]
    [InlineData("Plugboard", true)]
    [InlineData("Plugboard.Native", true)]
    [InlineData("Plugboard.Native.Aot", true)]
    [InlineData("Plugboard.Hosting.Abstractions", true)]
    [InlineData("Plugboard.Hosting", true)]
    [InlineData("Plugboard.AspNetCore.Abstractions", true)]
    [InlineData("Plugboard.AspNetCore", true)]
    [InlineData("Plugboard.Diagnostics", true)]
    [InlineData("Plugboard.Cli", false)]
    [InlineData("Plugboard.Build", false)]
    [InlineData("Plugboard.Contracts.Generator", false)]
    [InlineData("Plugboard.Templates", false)]
    public void Each_package_has_its_readme_license_and_version_and_each_library_its_docs_and_symbols(string id, bool library)
    {
        string nupkg = Path.Combine(packages.Feed, $"{id}.{Repo.Version}.nupkg");
        using ZipArchive zip = ZipFile.OpenRead(nupkg);
        List<string> files = zip.Entries.Select(e => e.FullName).ToList();
        XElement metadata = Nuspec(zip).Elements().Single(e => e.Name.LocalName == "metadata");
        string Field(string name) => metadata.Elements().Single(e => e.Name.LocalName == name).Value;

        Assert.Equal(id, Field("id"));
        Assert.Equal(Repo.Version, Field("version"));
        Assert.Equal("MIT", Field("license"));
        Assert.Equal("README.md", Field("readme"));
        Assert.Contains("README.md", files);
        Assert.False(string.IsNullOrWhiteSpace(Field("description")));
        Assert.NotNull(metadata.Elements().SingleOrDefault(e => e.Name.LocalName == "repository"));
        if (library)
        {
            // What plugins reference also serves plugins on the previous long-term-support .NET.
            string[] frameworks = id is "Plugboard.Abstractions" or "Plugboard.Hosting.Abstractions" ? ["net8.0", "net10.0"] : ["net10.0"];
            using ZipArchive symbols = ZipFile.OpenRead(Path.ChangeExtension(nupkg, ".snupkg"));
            foreach (string framework in frameworks)
            {
                Assert.Contains($"lib/{framework}/{id}.dll", files);
                Assert.Contains($"lib/{framework}/{id}.xml", files);
                Assert.Contains(symbols.Entries, e => e.FullName == $"lib/{framework}/{id}.pdb");
            }
            Assert.Equal(frameworks.Order(StringComparer.Ordinal), files.Where(f => f.StartsWith("lib/", StringComparison.Ordinal)).Select(f => f.Split('/')[1]).Distinct().Order(StringComparer.Ordinal));
        }
        else
        {
            Assert.DoesNotContain(files, f => f.StartsWith("lib/", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void The_build_SDK_carries_its_targets_and_the_version_of_the_packages_it_references()
    {
        using ZipArchive zip = ZipFile.OpenRead(Path.Combine(packages.Feed, $"Plugboard.Build.{Repo.Version}.nupkg"));
        List<string> files = zip.Entries.Select(e => e.FullName).ToList();

        Assert.Contains("Sdk/Sdk.props", files);
        Assert.Contains("Sdk/Sdk.targets", files);
        Assert.Contains("build/Plugboard.Build.targets", files);
        using var reader = new StreamReader(zip.GetEntry("build/Plugboard.Build.Version.props")!.Open());
        Assert.Contains($"<PlugboardVersion>{Repo.Version}</PlugboardVersion>", reader.ReadToEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_host_built_from_the_packages_gets_its_native_proxies_from_the_generator_package()
    {
        using (ZipArchive zip = ZipFile.OpenRead(Path.Combine(packages.Feed, $"Plugboard.Contracts.Generator.{Repo.Version}.nupkg")))
        {
            List<string> files = zip.Entries.Select(e => e.FullName).ToList();
            Assert.Contains("analyzers/dotnet/cs/Plugboard.Contracts.Generator.dll", files);
            Assert.Contains("build/Plugboard.Contracts.Generator.props", files);
            Assert.Contains("build/Plugboard.Contracts.Generator.targets", files);
        }

        using var dir = new TempDirectory("generated-host");
        packages.WriteNuGetConfig(dir);
        dir.Write("Acme.Api/Acme.Api.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <GenerateDocumentationFile>true</GenerateDocumentationFile>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Plugboard.Abstractions" Version="{Repo.Version}" />
              </ItemGroup>
            </Project>
            """);
        dir.Write("Acme.Api/IGreeter.cs", """
            using Plugboard;

            namespace Acme.Api;

            /// <summary>What a native plugin serves.</summary>
            /// <thread>any</thread>
            [ExportedInterface("acme.greeter/1")]
            public interface IGreeter
            {
                /// <summary>Adds two numbers.</summary>
                int Add(int a, int b);
            }
            """);
        dir.Write("Host/Host.csproj", ProjectFiles.NativeHost("""<ProjectReference Include="../Acme.Api/Acme.Api.csproj" />"""));
        dir.Write("Host/Program.cs", """
            System.Console.WriteLine($"proxy: {typeof(Acme.Api.Native.GreeterProxy).FullName} is an IGreeter: {typeof(Acme.Api.IGreeter).IsAssignableFrom(typeof(Acme.Api.Native.GreeterProxy))} for {Acme.Api.Native.GreeterProxy.Id}");
            """);

        ProcessResult build = DotNet.Build(dir.Path("Host"));
        Assert.True(build.ExitCode == 0, build.ToString());
        ProcessResult run = DotNet.Run("dotnet", [dir.Path("Host", "bin", "Debug", "net10.0", "Host.dll")]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("proxy: Acme.Api.Native.GreeterProxy is an IGreeter: True for acme.greeter/1", run.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.Path("Host", "Generated")), "nothing is written into the host's sources");
    }

    [Fact]
    public void The_templates_reference_the_packages_of_this_version()
    {
        foreach (string template in new[] { "plugin", "hostapi", "aot-plugin" })
        {
            using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Repo.Path($"templates/content/{template}/.template.config/template.json")));
            Assert.Equal(Repo.Version, json.RootElement.GetProperty("symbols").GetProperty("PlugboardVersion").GetProperty("defaultValue").GetString());
        }
        using ZipArchive zip = ZipFile.OpenRead(Path.Combine(packages.Feed, $"Plugboard.Templates.{Repo.Version}.nupkg"));
        foreach (string template in new[] { "hostapi", "plugin", "c-plugin", "rust-plugin", "aot-plugin" })
        {
            Assert.Contains(zip.Entries, e => e.FullName == $"content/{template}/.template.config/template.json");
        }
    }

    [Fact]
    public void A_net8_plugin_from_the_templates_builds_against_the_packed_packages_and_loads_into_a_net10_host()
    {
        using var dir = new TempDirectory("consumer");
        packages.WriteNuGetConfig(dir);
        Assert.Equal(0, New("plugboard-hostapi", "-n", "Acme.Api", "-o", dir.Path("Acme.Api")).ExitCode);
        Assert.Equal(0, New("plugboard-plugin", "-n", "Acme.Hello", "-o", dir.Path("Acme.Hello"), "--ApiNamespace", "Acme.Api", "--PluginsDirectory", "../Host/plugins").ExitCode);
        // The plugin and the API it compiles against target the previous LTS; the host runs on .NET 10.
        foreach (string project in new[] { dir.Path("Acme.Api", "Acme.Api.csproj"), dir.Path("Acme.Hello", "Acme.Hello.csproj") })
        {
            File.WriteAllText(project, File.ReadAllText(project).Replace("<TargetFramework>net10.0</TargetFramework>", "<TargetFramework>net8.0</TargetFramework>", StringComparison.Ordinal));
        }
        // The host: a console application consuming the Plugboard package and its own API.
        dir.Write("Host/Host.csproj", ProjectFiles.Host("../Acme.Api/Acme.Api.csproj"));
        dir.Write("Host/Program.cs", """
            using Acme.Api;
            using Plugboard;

            await using var host = new PluginHost<IPlugin>();
            PluginLoadResult<IPlugin> result = await host.LoadAllAsync(host.Discover(args[0]));
            foreach (PluginFailure failure in result.Failed)
            {
                Console.WriteLine($"failed: {failure.Error.Message}");
            }
            foreach (LoadedPlugin<IPlugin> plugin in result.Loaded)
            {
                foreach (IPlugin instance in plugin.Instances)
                {
                    Console.WriteLine($"loaded: {plugin.Entry.Id} {plugin.Entry.Version} [{plugin.Entry.Manifest?.Description}] {instance.Name}: {instance.Execute("ping")}");
                }
            }
            return result.Failed.Count == 0 && result.Loaded.Count == 1 ? 0 : 1;
            """);

        ProcessResult plugin = DotNet.Build(dir.Path("Acme.Hello"));
        Assert.True(plugin.ExitCode == 0, plugin.ToString());
        string installed = dir.Path("Host", "plugins", "Acme.Hello");
        Assert.True(File.Exists(Path.Combine(installed, "plugin.json")), plugin.ToString());
        Assert.Contains("\"name\": \"Microsoft.NETCore.App\",\n      \"version\": \"8.0.0\"", File.ReadAllText(Path.Combine(installed, "Acme.Hello.runtimeconfig.json")).ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(installed, "Acme.Api.dll")), "the host API must stay with the host");
        Assert.False(File.Exists(Path.Combine(installed, "Plugboard.Abstractions.dll")), "Plugboard.Abstractions must stay with the host");

        ProcessResult host = DotNet.Build(dir.Path("Host"));
        Assert.True(host.ExitCode == 0, host.ToString());
        ProcessResult run = DotNet.Run("dotnet", [dir.Path("Host", "bin", "Debug", "net10.0", "Host.dll"), dir.Path("Host", "plugins")]);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("loaded: Acme.Hello 1.0.0 [Acme.Hello, a Plugboard plugin] Acme.Hello: Acme.Hello received 'ping'", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_host_built_from_the_packages_runs_a_plugin_out_of_process_built_and_published_ReadyToRun()
    {
        using var dir = new TempDirectory("isolated-consumer");
        packages.WriteNuGetConfig(dir);
        New("plugboard-hostapi", "-n", "Acme.Api", "-o", dir.Path("Acme.Api"));
        New("plugboard-plugin", "-n", "Acme.Hello", "-o", dir.Path("Acme.Hello"), "--ApiNamespace", "Acme.Api", "--PluginsDirectory", "../Host/plugins");
        dir.Write("Host/Host.csproj", ProjectFiles.Host("../Acme.Api/Acme.Api.csproj"));
        dir.Write("Host/Program.cs", """
            using Acme.Api;
            using Plugboard;

            var options = new PluginHostOptions();
            options.Isolation.Default = PluginIsolation.OutOfProcess;
            await using var host = new PluginHost<IPlugin>(options);
            PluginLoadResult<IPlugin> result = await host.LoadAllAsync(host.Discover(args[0]));
            foreach (PluginFailure failure in result.Failed)
            {
                Console.WriteLine($"failed: {failure.Error.Message}");
            }
            foreach (LoadedPlugin<IPlugin> plugin in result.Loaded)
            {
                Console.WriteLine($"loaded: {plugin.Entry.Id} runs {plugin.Isolation}: {plugin.Invoke(p => p.Execute("ping"))}");
            }
            return result.Failed.Count == 0 && result.Loaded.Count == 1 ? 0 : 1;
            """);
        ProcessResult plugin = DotNet.Build(dir.Path("Acme.Hello"));
        Assert.True(plugin.ExitCode == 0, plugin.ToString());
        const string Expected = "loaded: Acme.Hello runs OutOfProcess: Acme.Hello received 'ping'";

        // Built: the package puts the worker beside Plugboard.dll in the host's output.
        ProcessResult build = DotNet.Build(dir.Path("Host"));
        Assert.True(build.ExitCode == 0, build.ToString());
        ProcessResult built = DotNet.Run("dotnet", [dir.Path("Host", "bin", "Debug", "net10.0", "Host.dll"), dir.Path("Host", "plugins")]);
        Assert.True(built.ExitCode == 0, built.ToString());
        Assert.Contains(Expected, built.Output, StringComparison.Ordinal);

        // Published ReadyToRun (the deployment docs/isolation.md recommends for fast restarts): the worker runs the
        // host's precompiled Plugboard.dll from the publish folder.
        string published = dir.Path("published");
        ProcessResult publish = DotNet.Run("dotnet", ["publish", dir.Path("Host"), "-r", "linux-x64", "--self-contained", "false", "-p:PublishReadyToRun=true", "-o", published, .. DotNet.Flags]);
        Assert.True(publish.ExitCode == 0, publish.ToString());
        Assert.True(File.Exists(Path.Combine(published, "Plugboard.Worker.dll")), publish.ToString());
        using (var pe = new System.Reflection.PortableExecutable.PEReader(File.OpenRead(Path.Combine(published, "Plugboard.dll"))))
        {
            Assert.True(pe.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0, "Plugboard.dll in the publish folder is not ReadyToRun code");
        }
        ProcessResult run = DotNet.Run("dotnet", [Path.Combine(published, "Host.dll"), dir.Path("Host", "plugins")]);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains(Expected, run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_web_plugin_built_from_the_packages_serves_its_endpoint_in_a_web_host_built_from_the_packages()
    {
        using var dir = new TempDirectory("web-consumer");
        packages.WriteNuGetConfig(dir);
        // The plugin author's side: the authoring kit, the web contract package as the host API, the shared framework.
        dir.Write("Acme.Web/Acme.Web.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <Sdk Name="Plugboard.Build" Version="{Repo.Version}" />
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <Version>1.2.0</Version>
                <PlugboardPluginsDirectory>../Host/plugins</PlugboardPluginsDirectory>
              </PropertyGroup>
              <ItemGroup>
                <PlugboardHostApi Include="Plugboard.AspNetCore.Abstractions" Version="{Repo.Version}" />
                <FrameworkReference Include="Microsoft.AspNetCore.App" />
              </ItemGroup>
            </Project>
            """);
        dir.Write("Acme.Web/Hello.cs", """
            using Microsoft.AspNetCore.Builder;
            using Microsoft.AspNetCore.Routing;
            using Plugboard.AspNetCore;

            namespace Acme.Web;

            public sealed class Hello : IWebPlugin
            {
                public void MapEndpoints(IEndpointRouteBuilder endpoints) => endpoints.MapGet("/hello", () => "hello from a packaged web plugin");
            }
            """);
        // The application's side: an ASP.NET Core host on the Plugboard.AspNetCore package, Kestrel on loopback.
        dir.Write("Host/Host.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk.Web">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Plugboard.AspNetCore" Version="{Repo.Version}" />
              </ItemGroup>
            </Project>
            """);
        dir.Write("Host/Program.cs", """
            using System.Net;
            using Microsoft.AspNetCore.Hosting.Server;
            using Microsoft.AspNetCore.Hosting.Server.Features;
            using Plugboard;
            using Plugboard.AspNetCore;
            using Plugboard.Hosting;

            WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
            builder.Services.AddPlugboard<IWebPlugin>(o => o.PluginFolders.Add(args[0])).AddWebPlugins();
            WebApplication app = builder.Build();
            app.MapPlugins();
            await app.StartAsync();
            string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            using var client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };
            using HttpResponseMessage answer = await client.GetAsync("/plugins/Acme.Web/hello");
            Console.WriteLine($"answer: {(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
            foreach (var plugin in app.Services.GetRequiredService<PluginHost<IWebPlugin>>().Plugins)
            {
                Console.WriteLine($"loaded: {plugin.Id} {plugin.Entry.Version}");
            }
            await app.StopAsync();
            return answer.IsSuccessStatusCode ? 0 : 1;
            """);

        ProcessResult plugin = DotNet.Build(dir.Path("Acme.Web"));
        Assert.True(plugin.ExitCode == 0, plugin.ToString());
        string installed = dir.Path("Host", "plugins", "Acme.Web");
        Assert.True(File.Exists(Path.Combine(installed, "plugin.json")), plugin.ToString());
        Assert.False(File.Exists(Path.Combine(installed, "Plugboard.AspNetCore.Abstractions.dll")), "the web contract must stay with the host");
        ProcessResult build = DotNet.Build(dir.Path("Host"), "-warnaserror:NU1605;NU1603");
        Assert.True(build.ExitCode == 0, build.ToString());
        ProcessResult run = DotNet.Run("dotnet", [dir.Path("Host", "bin", "Debug", "net10.0", "Host.dll"), dir.Path("Host", "plugins")]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("answer: 200 hello from a packaged web plugin", run.Output, StringComparison.Ordinal);
        Assert.Contains("loaded: Acme.Web 1.2.0", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_generic_host_pinned_to_Microsoft_Extensions_8_takes_Plugboard_Hosting_without_a_downgrade_and_loads_a_plugin()
    {
        using var dir = new TempDirectory("extensions8");
        packages.WriteNuGetConfig(dir);
        Assert.Equal(0, New("plugboard-hostapi", "-n", "Acme.Api", "-o", dir.Path("Acme.Api")).ExitCode);
        Assert.Equal(0, New("plugboard-plugin", "-n", "Acme.Hello", "-o", dir.Path("Acme.Hello"), "--ApiNamespace", "Acme.Api", "--PluginsDirectory", "../Host/plugins").ExitCode);
        // An application that stays on the Microsoft.Extensions of .NET 8 (NU1605 if Plugboard asked for newer).
        dir.Write("Host/Host.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Plugboard.Hosting" Version="{Repo.Version}" />
                <PackageReference Include="Microsoft.Extensions.Hosting" Version="8.0.0" />
                <PackageReference Include="Microsoft.Extensions.Logging.Abstractions" Version="8.0.0" />
                <PackageReference Include="Microsoft.Extensions.DependencyInjection" Version="8.0.0" />
                <ProjectReference Include="../Acme.Api/Acme.Api.csproj" />
              </ItemGroup>
            </Project>
            """);
        dir.Write("Host/Program.cs", """
            using Acme.Api;
            using Microsoft.Extensions.DependencyInjection;
            using Microsoft.Extensions.Hosting;
            using Plugboard.Hosting;

            HostApplicationBuilder builder = Host.CreateApplicationBuilder();
            builder.Services.AddPlugboard<IPlugin>(o => o.PluginFolders.Add(args[0]));
            using IHost host = builder.Build();
            await host.StartAsync();
            List<IPlugin> plugins = [.. host.Services.GetRequiredService<IEnumerable<IPlugin>>()];
            foreach (IPlugin plugin in plugins)
            {
                Console.WriteLine($"loaded: {plugin.Name}: {plugin.Execute("ping")}");
            }
            Console.WriteLine($"logging abstractions: {typeof(Microsoft.Extensions.Logging.ILogger).Assembly.GetName().Version}");
            await host.StopAsync();
            return plugins.Count == 1 ? 0 : 1;
            """);

        ProcessResult plugin = DotNet.Build(dir.Path("Acme.Hello"));
        Assert.True(plugin.ExitCode == 0, plugin.ToString());
        ProcessResult build = DotNet.Build(dir.Path("Host"), "-warnaserror:NU1605;NU1603");
        Assert.True(build.ExitCode == 0, build.ToString());
        ProcessResult run = DotNet.Run("dotnet", [dir.Path("Host", "bin", "Debug", "net10.0", "Host.dll"), dir.Path("Host", "plugins")]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("loaded: Acme.Hello: Acme.Hello received 'ping'", run.Output, StringComparison.Ordinal);
        Assert.Contains("logging abstractions: 8.0.0.0", run.Output, StringComparison.Ordinal); // the host's pin won
    }

    [Fact]
    public void A_host_API_shipped_as_a_package_is_referenced_compile_only_and_guarded_when_referenced_plainly()
    {
        using var dir = new TempDirectory("api-package");
        string apiFeed = dir.Path("api-feed");
        packages.WriteNuGetConfig(dir, apiFeed);
        New("plugboard-hostapi", "-n", "Acme.Api", "-o", dir.Path("Acme.Api"));
        ProcessResult pack = DotNet.Pack(dir.Path("Acme.Api"), apiFeed);
        Assert.True(pack.ExitCode == 0, pack.ToString());

        // From the template with --ApiPackage: <PlugboardHostApi Include="Acme.Api" Version="1.0.0" />.
        New("plugboard-plugin", "-n", "ByPackage", "-o", dir.Path("ByPackage"), "--ApiNamespace", "Acme.Api", "--ApiPackage", "true");
        ProcessResult good = DotNet.Build(dir.Path("ByPackage"));
        Assert.True(good.ExitCode == 0, good.ToString());
        string output = dir.Path("ByPackage", "bin", "Debug", "net10.0");
        Assert.False(File.Exists(Path.Combine(output, "Acme.Api.dll")));
        using (JsonDocument manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "plugin.json"))))
        {
            Assert.Equal("[1.0.0,2.0.0)", manifest.RootElement.GetProperty("x-hostApi").GetProperty("Acme.Api").GetString());
        }

        // The mistake: a plain PackageReference. The package itself tells the kit its assembly is shared.
        string leakyProject = """
            <Project Sdk="Microsoft.NET.Sdk">
              <Sdk Name="Plugboard.Build" Version="VERSION" />
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <PlugboardPluginsDirectory>../plugins</PlugboardPluginsDirectory>
              </PropertyGroup>
              <ItemGroup><PackageReference Include="Acme.Api" Version="1.0.0" /></ItemGroup>
            </Project>
            """.Replace("VERSION", Repo.Version, StringComparison.Ordinal);
        string project = dir.Write("Leaky/Leaky.csproj", leakyProject);
        dir.Write("Leaky/Plugin.cs", "namespace Leaky; public sealed class Plugin : Acme.Api.IPlugin { public string Name => \"leaky\"; public string Execute(string input) => input; }");
        ProcessResult leaky = DotNet.Build(dir.Path("Leaky"));
        Assert.NotEqual(0, leaky.ExitCode);
        Assert.Contains("error PLUGBOARD001: 'Acme.Api.dll' would be copied into the output of plugin 'Leaky'", leaky.Output, StringComparison.Ordinal);
        Assert.Contains(", through Acme.Api). Acme.Api is the host's API", leaky.Output, StringComparison.Ordinal);
        Assert.Contains("Fix: reference Acme.Api compile-only: replace <PackageReference Include=\"Acme.Api\" … /> with <PlugboardHostApi Include=\"Acme.Api\" Version=\"1.0.0\" /> (or add Private=\"false\" ExcludeAssets=\"runtime\" to that reference;", leaky.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.Path("plugins", "Leaky")), "a build that failed must not be deployed");

        // Both fixes the message names work when applied as written: no MSB4184, the API stays out, x-hostApi is known.
        foreach (string fixedProject in new[]
        {
            KitTests.ApplySuggestedReplacement(leaky.Output, leakyProject),
            leakyProject.Replace("<PackageReference Include=\"Acme.Api\" Version=\"1.0.0\" />", "<PackageReference Include=\"Acme.Api\" Version=\"1.0.0\" Private=\"false\" ExcludeAssets=\"runtime\" />", StringComparison.Ordinal),
        })
        {
            File.WriteAllText(project, fixedProject);
            ProcessResult fixedBuild = DotNet.Build(dir.Path("Leaky"));
            Assert.True(fixedBuild.ExitCode == 0, fixedBuild.ToString());
            string installed = dir.Path("plugins", "Leaky");
            Assert.True(File.Exists(Path.Combine(installed, "Leaky.dll")), fixedBuild.ToString());
            Assert.False(File.Exists(Path.Combine(installed, "Acme.Api.dll")), fixedProject);
            using JsonDocument manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(installed, "plugin.json")));
            Assert.Equal("[1.0.0,2.0.0)", manifest.RootElement.GetProperty("x-hostApi").GetProperty("Acme.Api").GetString());
        }
    }

    private ProcessResult New(params string[] arguments)
    {
        ProcessResult result = packages.New(arguments);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    private static XElement Nuspec(ZipArchive zip)
    {
        using Stream stream = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
        return XDocument.Load(stream).Root!;
    }
}
