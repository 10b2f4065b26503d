using Plugboard.Metadata;
using Plugboard.Native;

namespace Plugboard.Build.Tests;

/// <summary>The native templates build as generated, their plugin.json passes the core's parser, and the host loads and calls them.</summary>
[Collection(DotNetCollection.Name)]
public sealed class NativeTemplateTests(PackagesFixture packages)
{
    [Fact]
    public void The_C_template_carries_the_current_ABI_header()
    {
        Assert.Equal(
            File.ReadAllText(Repo.Path("native/include/plugboard.h")),
            File.ReadAllText(Repo.Path("templates/content/c-plugin/plugboard.h")));
    }

    [Fact]
    public void The_C_template_builds_a_plugin_the_native_loader_loads_and_calls()
    {
        using var dir = new TempDirectory("c-template");
        Assert.Equal(0, packages.New("plugboard-plugin-c", "-n", "word-count", "-o", dir.Path("word-count")).ExitCode);
        // A missing toolchain fails the test: returning quietly would report a pass for a template never built.
        Assert.True(OnPath("make") && OnPath("cc"), "make or cc is not on PATH: the C template cannot be built");

        ProcessResult make = DotNet.Run("make", ["-C", dir.Path("word-count"), "OUT=" + dir.Path("plugins", "word-count")]);

        Assert.True(make.ExitCode == 0, make.ToString());
        AssertLoadsAndAnswers(dir.Path("plugins", "word-count"), "word-count", "libword-count.so");
    }

    [Fact]
    public void The_Rust_template_builds_a_plugin_the_native_loader_loads_and_calls()
    {
        using var dir = new TempDirectory("rust-template");
        Assert.Equal(0, packages.New("plugboard-plugin-rust", "-n", "keyword_tags", "-o", dir.Path("keyword_tags"), "--PlugboardCrate", Repo.Path("native/rust/plugboard")).ExitCode);
        Assert.True(OnPath("cargo"), "cargo is not on PATH: the Rust template cannot be built");

        ProcessResult cargo = DotNet.Run("cargo", ["build", "--release", "--offline", "--quiet", "--jobs", "1"], workingDirectory: dir.Path("keyword_tags"));

        Assert.True(cargo.ExitCode == 0, cargo.ToString());
        AssertCrateLoadsAndAnswers(dir, "keyword_tags");
    }

    [Fact]
    public void The_C_template_on_a_host_API_package_extracts_its_header_and_compiles_against_it()
    {
        Assert.True(OnPath("make") && OnPath("cc"), "make or cc is not on PATH: the C template cannot be built");
        using TempDirectory dir = NewOnHostApiPackage("c-template-api", "plugboard-plugin-c", "greeter-c", "--HostApiVersion", "1.0.0");

        // make alone: it extracts the bindings (dotnet msbuild bindings.proj -restore -t:ExtractBindings) before it compiles plugin.c against them.
        ProcessResult make = DotNet.Run("make", ["-C", dir.Path("greeter-c"), "OUT=" + dir.Path("plugins", "greeter-c")]);

        Assert.True(make.ExitCode == 0, make.ToString());
        Assert.Contains("-DPLUGIN_HOST_API_HEADER='\"acme_api.h\"'", make.Output, StringComparison.Ordinal);
        Assert.Contains("#define ACME_GREETER_V1_ID \"acme.greeter/1\"", File.ReadAllText(dir.Path("greeter-c", "bindings", "include", "acme_api.h")), StringComparison.Ordinal);
        Assert.True(File.Exists(dir.Path("greeter-c", "bindings", "acme_api.interfaces.json")));
        AssertLoadsAndAnswers(dir.Path("plugins", "greeter-c"), "greeter-c", "libgreeter-c.so");
    }

    [Fact]
    public void The_Rust_template_on_a_host_API_package_builds_on_the_crates_the_package_carries()
    {
        Assert.True(OnPath("cargo"), "cargo is not on PATH: the Rust template cannot be built");
        using TempDirectory dir = NewOnHostApiPackage("rust-template-api", "plugboard-plugin-rust", "greeter_rust");
        string cargoToml = File.ReadAllText(dir.Path("greeter_rust", "Cargo.toml"));
        Assert.Contains("plugboard = { path = \"bindings/rust/plugboard\" }", cargoToml, StringComparison.Ordinal);
        Assert.Contains("acme_api = { path = \"bindings/rust/acme_api\" }", cargoToml, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.Path("greeter_rust", "Cargo.hostapi.toml")));

        ProcessResult extract = DotNet.Run("dotnet", ["msbuild", dir.Path("greeter_rust", "bindings.proj"), "-restore", "-t:ExtractBindings", "-nologo"]);
        Assert.True(extract.ExitCode == 0, extract.ToString());
        ProcessResult cargo = DotNet.Run("cargo", ["build", "--release", "--offline", "--quiet", "--jobs", "1"], workingDirectory: dir.Path("greeter_rust"));

        Assert.True(cargo.ExitCode == 0, cargo.ToString());
        Assert.True(Directory.EnumerateFiles(dir.Path("greeter_rust", "target", "release", "deps"), "libacme_api-*.rlib").Any(), "the API's crate was compiled as a dependency");
        AssertCrateLoadsAndAnswers(dir, "greeter_rust");
    }

    [Fact]
    public void The_NativeAOT_template_on_a_host_API_package_publishes_a_plugin_with_its_client_the_native_loader_loads_and_calls()
    {
        Assert.True(OnPath("cc"), "cc is not on PATH: NativeAOT needs it to link the plugin");
        using TempDirectory dir = NewOnHostApiPackage("aot-template", "plugboard-plugin-aot", "HelloAot");
        // The client the package carries compiles into the plugin: use one of its types, so a missing client fails the build.
        File.AppendAllText(dir.Path("HelloAot", "Plugin.cs"), "\ninternal static class UsesTheClient { public const string Id = Acme.Api.Native.AcmeGreeterV1.Id; }\n");

        string folder = dir.Path("plugins", "HelloAot");
        ProcessResult publish = DotNet.Run("dotnet", ["publish", dir.Path("HelloAot"), "-c", "Release", "-r", "linux-x64", "-p:NativeLib=Shared", "-o", folder, .. DotNet.Flags], timeout: TimeSpan.FromMinutes(6));

        Assert.True(publish.ExitCode == 0, publish.ToString());
        AssertLoadsAndAnswers(folder, "HelloAot", "HelloAot.so");
    }

    /// <summary>Packs the Acme.Api host API into a feed of a new folder and instantiates <paramref name="template"/> on its package there.</summary>
    private TempDirectory NewOnHostApiPackage(string folder, string template, string project, params string[] extra)
    {
        var dir = new TempDirectory(folder);
        string apiFeed = dir.Path("api-feed");
        packages.WriteNuGetConfig(dir, apiFeed);
        HostApiPackageBindingsTests.PackHostApi(dir, apiFeed);
        Assert.Equal(0, packages.New([template, "-n", project, "-o", dir.Path(project), "--HostApiPackage", "Acme.Api", .. extra]).ExitCode);
        return dir;
    }

    /// <summary>The crate's library and plugin.json as a plugin folder (what cargo does not do), loaded and called.</summary>
    private static void AssertCrateLoadsAndAnswers(TempDirectory dir, string crate)
    {
        string folder = dir.Path("plugins", crate);
        Directory.CreateDirectory(folder);
        File.Copy(dir.Path(crate, "target", "release", $"lib{crate}.so"), Path.Combine(folder, $"lib{crate}.so"));
        File.Copy(dir.Path(crate, "plugin.json"), Path.Combine(folder, "plugin.json"));
        AssertLoadsAndAnswers(folder, crate, $"lib{crate}.so");
    }

    private static void AssertLoadsAndAnswers(string folder, string id, string library)
    {
        PluginManifest manifest = PluginManifest.ReadFrom(folder)!;
        Assert.Equal(id, manifest.Id);
        Assert.Equal(PluginKind.Native, manifest.Kind);
        Assert.Equal(1, manifest.Native!.AbiMajor);
        Assert.Equal(library, manifest.Native.Libraries["linux-x64"]);

        using NativePlugin plugin = new NativePluginLoader(new NativePluginLoaderOptions { CopyOnLoad = true }).Load(folder);
        Assert.Equal(id, plugin.Id);
        Assert.Equal("pong", plugin.Invoke("ping", ""));
        Assert.Equal("hello, plugin", plugin.Invoke("echo", "hello, plugin"));
        PluginException unknown = Assert.Throws<PluginException>(() => plugin.Invoke("nope", ""));
        Assert.Equal(PluginErrorCode.NativeCallFailed, unknown.Code);
    }

    internal static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Any(d => File.Exists(Path.Combine(d, tool)));
}
