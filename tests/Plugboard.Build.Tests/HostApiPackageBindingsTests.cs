using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Plugboard.Build.Tests;

/// <summary>
/// A host API packed with PlugboardPackNativeBindings carries its native bindings (header, Rust crate on the SDK crate,
/// NativeAOT client, layout hashes) and a targets file naming them; a C plugin and a Rust plugin built from nothing but
/// that package implement its exported contract and are called through <c>PluginHost&lt;IGreeter&gt;</c>.
/// </summary>
[Collection(DotNetCollection.Name)]
public sealed class HostApiPackageBindingsTests(PackagesFixture packages)
{
    /// <summary>The host API: one exported interface, the contract the native plugins implement.</summary>
    internal const string GreeterSource = """
        using Plugboard;

        namespace Acme.Api;

        /// <summary>What a native plugin serves.</summary>
        /// <thread>any</thread>
        [ExportedInterface("acme.greeter/1")]
        public interface IGreeter
        {
            /// <summary>Adds two numbers.</summary>
            int Add(int a, int b);

            /// <summary>Greets someone by name.</summary>
            string Greet(string name);
        }
        """;

    private const string CPlugin = """
        #include <stdio.h>
        #include <string.h>

        #include "plugboard.h"
        #include "acme_api.h"

        static pb_status greeter_add(void *ctx, int32_t a, int32_t b, int32_t *out_result)
        {
            (void)ctx;
            *out_result = a + b;
            return PB_OK;
        }

        static pb_status greeter_greet(void *ctx, const char *name, size_t name_len, void *out_ctx, pb_write_fn out_write)
        {
            char text[128];
            int len = snprintf(text, sizeof text, "hello %.*s from C", (int)name_len, name);
            (void)ctx;
            return out_write(out_ctx, text, (size_t)len);
        }

        static const acme_greeter_v1 greeter = { sizeof(acme_greeter_v1), 0, greeter_add, greeter_greet };

        static const void *c_get_interface(void *ctx, const char *id, size_t id_len)
        {
            (void)ctx;
            return id_len == strlen(ACME_GREETER_V1_ID) && memcmp(id, ACME_GREETER_V1_ID, id_len) == 0 ? &greeter : NULL;
        }

        static pb_status c_init(void *ctx, const pb_host *h) { (void)ctx; (void)h; return PB_OK; }

        static void c_shutdown(void *ctx) { (void)ctx; }

        static pb_status c_invoke(void *ctx, void *call, const char *op, size_t op_len, const char *input, size_t input_len, void *out_ctx, pb_write_fn out_write)
        {
            (void)ctx; (void)call; (void)op; (void)op_len; (void)input; (void)input_len; (void)out_ctx; (void)out_write;
            return PB_ERR_UNSUPPORTED;
        }

        static const pb_plugin descriptor = {
            PLUGBOARD_PLUGIN_MAGIC, sizeof(pb_plugin), PLUGBOARD_ABI_MAJOR, PLUGBOARD_ABI_MINOR,
            "c-greeter", sizeof("c-greeter") - 1, "Greeter (C)", sizeof("Greeter (C)") - 1, "1.0.0", sizeof("1.0.0") - 1,
            0, NULL, c_init, c_shutdown, c_get_interface, c_invoke,
        };

        PLUGBOARD_EXPORT const pb_plugin *plugboard_entry_v1(const pb_host *h);

        PLUGBOARD_EXPORT const pb_plugin *plugboard_entry_v1(const pb_host *h)
        {
            (void)h;
            return &descriptor;
        }
        """;

    private const string RustPlugin = """
        #![deny(warnings)]

        use acme_api::{ACME_GREETER_V1_ID, GreeterPlugin, acme_greeter_v1_plugin_table};
        use plugboard::{Call, Error, Host, Output, Plugin};
        use std::ffi::c_void;

        struct Greeter;

        impl Plugin for Greeter {
            const ID: &'static str = "rust_greeter";
            const NAME: &'static str = "Greeter (Rust)";
            const VERSION: &'static str = "1.0.0";

            fn init(_host: Host) -> Result<Self, Error> {
                Ok(Self)
            }

            fn get_interface(id: &str) -> *const c_void {
                if id == ACME_GREETER_V1_ID { acme_greeter_v1_plugin_table::<Self>() } else { std::ptr::null() }
            }

            fn invoke(&mut self, _call: Call, _op: &str, _input: &[u8], _output: &mut Output) -> Result<(), Error> {
                Err(Error::with_status(plugboard::PB_ERR_UNSUPPORTED, "call it through acme.greeter/1"))
            }
        }

        impl GreeterPlugin for Greeter {
            fn add(&mut self, a: i32, b: i32) -> Result<i32, Error> {
                Ok(a + b)
            }

            fn greet(&mut self, name: &str) -> Result<String, Error> {
                Ok(format!("hello {name} from Rust"))
            }
        }

        plugboard::export_plugin!(Greeter);
        """;

    private const string HostProgram = """
        using Acme.Api;
        using Acme.Api.Native;
        using Plugboard;

        var options = new PluginHostOptions();
        options.AddNativeAdapter<IGreeter>(GreeterProxy.Create);
        await using var host = new PluginHost<IGreeter>(options);
        PluginLoadResult<IGreeter> result = await host.LoadAllAsync(host.Discover(args[0]));
        foreach (PluginFailure failure in result.Failed)
        {
            Console.WriteLine($"failed: {failure.Entry.Id}: {failure.Error.Message}");
        }
        foreach (LoadedPlugin<IGreeter> plugin in result.Loaded.OrderBy(p => p.Id, StringComparer.Ordinal))
        {
            Console.WriteLine($"{plugin.Id} ({plugin.Entry.Kind}, proxy {plugin.Invoke(g => g is GreeterProxy)}): {plugin.Invoke(g => g.Add(2, 40))}, {plugin.Invoke(g => g.Greet("Ada"))}");
        }
        return result.Failed.Count == 0 && result.Loaded.Count == 2 ? 0 : 1;
        """;

    [Fact]
    public void A_C_and_a_Rust_plugin_built_from_the_host_API_package_alone_are_called_through_PluginHost_of_the_contract()
    {
        // A missing toolchain fails the test: returning quietly would report a pass for plugins never built.
        Assert.True(NativeTemplateTests.OnPath("cc"), "cc is not on PATH: the C plugin cannot be built from the package");
        Assert.True(NativeTemplateTests.OnPath("cargo"), "cargo is not on PATH: the Rust plugin cannot be built from the package");
        using var dir = new TempDirectory("api-bindings");
        string apiFeed = dir.Path("api-feed");
        packages.WriteNuGetConfig(dir, apiFeed);
        string apiPackage = PackHostApi(dir, apiFeed);

        // What the package carries, at the documented paths (docs/native-bindings.md#bindings-in-the-host-api-package).
        using (ZipArchive zip = ZipFile.OpenRead(apiPackage))
        {
            List<string> files = [.. zip.Entries.Select(e => e.FullName)];
            foreach (string path in new[]
            {
                "build/Acme.Api.targets", "build/native/include/plugboard.h", "build/native/include/acme_api.h", "build/native/acme_api.interfaces.json",
                "build/native/rust/plugboard/Cargo.toml", "build/native/rust/plugboard/src/lib.rs", "build/native/rust/acme_api/Cargo.toml",
                "build/native/rust/acme_api/src/lib.rs", "build/native/csharp/AcmeApi.Native.cs",
            })
            {
                Assert.Contains(path, files);
            }
            using var header = new StreamReader(zip.GetEntry("build/native/include/acme_api.h")!.Open());
            string text = header.ReadToEnd();
            // One comment line per function, with its summary, thread rule and ownership from the API's XML docs.
            Assert.Contains("/* Adds two numbers. Thread: any. Ownership: *out_result is the caller's, written on success. */", text, StringComparison.Ordinal);
            Assert.Contains("/* Greets someone by name. Thread: any. Ownership: name borrowed for the call; the result is copied into the caller's sink. */", text, StringComparison.Ordinal);
        }

        // The plugin author's side: a project that only references the package; its targets say where everything is.
        dir.Write("Plugins/Plugins.proj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
              <ItemGroup><PackageReference Include="Acme.Api" Version="1.0.0" ExcludeAssets="compile;runtime" PrivateAssets="all" /></ItemGroup>
            </Project>
            """);
        Succeeded(DotNet.Run("dotnet", ["restore", dir.Path("Plugins", "Plugins.proj"), "-nologo"]));
        ProcessResult query = DotNet.Run("dotnet", ["msbuild", dir.Path("Plugins", "Plugins.proj"), "-nologo", "-getItem:PlugboardNativeBindings", "-getItem:PbCIncludeDir"]);
        Succeeded(query);
        using JsonDocument items = JsonDocument.Parse(query.Output[query.Output.IndexOf('{', StringComparison.Ordinal)..]);
        JsonElement bindings = items.RootElement.GetProperty("Items").GetProperty("PlugboardNativeBindings").EnumerateArray().Single();
        string Binding(string name) => bindings.GetProperty(name).GetString()!;
        string packageRoot = dir.Path("packages", "acme.api", "1.0.0");
        Assert.Equal("Acme.Api", Binding("Identity"));
        foreach (string name in new[] { "IncludeDir", "Header", "Interfaces", "RustCrate", "RustSdkCrate", "AotClient" })
        {
            Assert.StartsWith(packageRoot, Binding(name), StringComparison.Ordinal);
        }
        Assert.Equal(Binding("IncludeDir").TrimEnd('/'), items.RootElement.GetProperty("Items").GetProperty("PbCIncludeDir").EnumerateArray().Single().GetProperty("FullPath").GetString()!.TrimEnd('/'));
        JsonNode interfaces = JsonNode.Parse(File.ReadAllText(Binding("Interfaces")))!["interfaces"]!;

        string plugins = dir.Path("plugins");
        // C: the package's include folder only, under the flags the repository's own native plugins build with.
        dir.Write("c-greeter-src/plugin.c", CPlugin);
        Directory.CreateDirectory(Path.Combine(plugins, "c-greeter"));
        Succeeded(DotNet.Run("cc", ["-std=c11", "-O2", "-Wall", "-Wextra", "-Werror", "-pedantic", "-fPIC", "-shared", "-fvisibility=hidden",
            "-I", Binding("IncludeDir"), dir.Path("c-greeter-src", "plugin.c"), "-o", Path.Combine(plugins, "c-greeter", "libc-greeter.so")]));
        WriteManifest(Path.Combine(plugins, "c-greeter"), "c-greeter", "libc-greeter.so", interfaces);

        // Rust: the package's crate of the API and the SDK crate beside it, by path; offline (std only).
        dir.Write("rust_greeter/Cargo.toml", $"""
            [package]
            name = "rust_greeter"
            version = "1.0.0"
            edition = "2024"
            publish = false

            [lib]
            crate-type = ["cdylib"]

            [dependencies]
            acme_api = {"{"} path = "{Binding("RustCrate")}" {"}"}
            plugboard = {"{"} path = "{Binding("RustSdkCrate")}" {"}"}

            [profile.release]
            panic = "unwind"
            """);
        dir.Write("rust_greeter/src/lib.rs", RustPlugin);
        Succeeded(DotNet.Run("cargo", ["build", "--release", "--offline", "--quiet", "--jobs", "1"], workingDirectory: dir.Path("rust_greeter")));
        Directory.CreateDirectory(Path.Combine(plugins, "rust_greeter"));
        File.Copy(dir.Path("rust_greeter", "target", "release", "librust_greeter.so"), Path.Combine(plugins, "rust_greeter", "librust_greeter.so"));
        WriteManifest(Path.Combine(plugins, "rust_greeter"), "rust_greeter", "librust_greeter.so", interfaces);

        // The application's side: the API package, Plugboard and the generator package for the proxy.
        dir.Write("Host/Host.csproj", ProjectFiles.NativeHost($"""<PackageReference Include="Acme.Api" Version="1.0.0" /><PackageReference Include="Plugboard" Version="{Repo.Version}" />"""));
        dir.Write("Host/Program.cs", HostProgram);
        Succeeded(DotNet.Build(dir.Path("Host")));
        ProcessResult run = DotNet.Run("dotnet", [dir.Path("Host", "bin", "Debug", "net10.0", "Host.dll"), plugins]);

        Succeeded(run);
        Assert.Contains("c-greeter (Native, proxy True): 42, hello Ada from C", run.Output, StringComparison.Ordinal);
        Assert.Contains("rust_greeter (Native, proxy True): 42, hello Ada from Rust", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_host_API_with_a_member_the_bindings_cannot_express_fails_its_pack_with_the_bindgen_id()
    {
        using var dir = new TempDirectory("api-bindings-bad");
        packages.WriteNuGetConfig(dir);
        dir.Write("Acme.Api/Acme.Api.csproj", HostApiProject);
        dir.Write("Acme.Api/IGreeter.cs", GreeterSource.Replace("int Add(int a, int b);", "int Add(int a, int b);\n\n    /// <summary>Not expressible.</summary>\n    System.Collections.Generic.List<string> Names();", StringComparison.Ordinal));

        ProcessResult pack = DotNet.Pack(dir.Path("Acme.Api"), dir.Path("api-feed"));

        Assert.NotEqual(0, pack.ExitCode);
        Assert.Contains("error PLUGBOARD010: Acme.Api.IGreeter.Names", pack.Output, StringComparison.Ordinal);
        Assert.Contains("Acme.Api.dll", pack.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.Path("api-feed", "Acme.Api.1.0.0.nupkg")), "nothing wrong is packed");
    }

    [Fact]
    public void A_host_API_that_asks_for_its_bindings_without_the_generator_package_fails_its_pack_with_PLUGBOARD021()
    {
        using var dir = new TempDirectory("api-bindings-nogen");
        packages.WriteNuGetConfig(dir);
        dir.Write("Acme.Api/Acme.Api.csproj", HostApiProject.Replace($"""<PackageReference Include="Plugboard.Contracts.Generator" Version="{Repo.Version}" PrivateAssets="all" />""", "", StringComparison.Ordinal));
        dir.Write("Acme.Api/IGreeter.cs", GreeterSource);

        ProcessResult pack = DotNet.Pack(dir.Path("Acme.Api"), dir.Path("api-feed"));

        Assert.NotEqual(0, pack.ExitCode);
        Assert.Contains("error PLUGBOARD021: 'Acme.Api' sets PlugboardPackNativeBindings, but nothing can emit the bindings into its package: the Plugboard.Contracts.Generator package is not referenced.", pack.Output, StringComparison.Ordinal);
        Assert.Contains($"Fix: add <PackageReference Include=\"Plugboard.Contracts.Generator\" Version=\"{Repo.Version}\" PrivateAssets=\"all\" />", pack.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.Path("api-feed", "Acme.Api.1.0.0.nupkg")), "a package without its bindings is not written");
    }

    /// <summary>A host API project that packs its native bindings: Plugboard.Build, the attributes, the generator package.</summary>
    internal static string HostApiProject => $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <Sdk Name="Plugboard.Build" Version="{Repo.Version}" />
          <PropertyGroup>
            <TargetFramework>net10.0</TargetFramework>
            <Nullable>enable</Nullable>
            <Version>1.0.0</Version>
            <GenerateDocumentationFile>true</GenerateDocumentationFile>
            <PlugboardPublicApi>true</PlugboardPublicApi>
            <PlugboardPackNativeBindings>true</PlugboardPackNativeBindings>
          </PropertyGroup>
          <ItemGroup>
            <PackageReference Include="Plugboard.Abstractions" Version="{Repo.Version}" PrivateAssets="all" />
            <PackageReference Include="Plugboard.Contracts.Generator" Version="{Repo.Version}" PrivateAssets="all" />
          </ItemGroup>
        </Project>
        """;

    /// <summary>Packs the Acme.Api host API into <paramref name="apiFeed"/>; returns the package's path.</summary>
    internal static string PackHostApi(TempDirectory dir, string apiFeed)
    {
        dir.Write("Acme.Api/Acme.Api.csproj", HostApiProject);
        dir.Write("Acme.Api/IGreeter.cs", GreeterSource);
        // The API's feed is a source of the NuGet.config: it must exist before the first restore.
        Directory.CreateDirectory(apiFeed);
        Succeeded(DotNet.Pack(dir.Path("Acme.Api"), apiFeed));
        return Path.Combine(apiFeed, "Acme.Api.1.0.0.nupkg");
    }

    private static void Succeeded(ProcessResult result) => Assert.True(result.ExitCode == 0, result.ToString());

    private static void WriteManifest(string folder, string id, string library, JsonNode interfaces)
    {
        var native = new JsonObject { ["abiMajor"] = 1, ["libraries"] = new JsonObject { ["linux-x64"] = library }, ["interfaces"] = interfaces.DeepClone() };
        File.WriteAllText(Path.Combine(folder, "plugin.json"), new JsonObject { ["id"] = id, ["version"] = "1.0.0", ["kind"] = "native", ["native"] = native }.ToJsonString());
    }
}
