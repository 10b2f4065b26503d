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
        string folder = dir.Path("plugins", "keyword_tags");
        Directory.CreateDirectory(folder);
        File.Copy(dir.Path("keyword_tags", "target", "release", "libkeyword_tags.so"), Path.Combine(folder, "libkeyword_tags.so"));
        File.Copy(dir.Path("keyword_tags", "plugin.json"), Path.Combine(folder, "plugin.json"));
        AssertLoadsAndAnswers(folder, "keyword_tags", "libkeyword_tags.so");
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

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Any(d => File.Exists(Path.Combine(d, tool)));
}
