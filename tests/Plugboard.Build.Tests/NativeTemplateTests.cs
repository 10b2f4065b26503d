using Plugboard.Metadata;

namespace Plugboard.Build.Tests;

/// <summary>The native templates (preview) build as generated, and their plugin.json passes the core's parser.</summary>
[Collection(DotNetCollection.Name)]
public sealed class NativeTemplateTests(PackagesFixture packages)
{
    [Fact]
    public void The_C_template_builds_a_plugin_folder()
    {
        using var dir = new TempDirectory("c-template");
        Assert.Equal(0, packages.New("plugboard-plugin-c", "-n", "word-count", "-o", dir.Path("word-count")).ExitCode);
        if (!OnPath("make") || !OnPath("cc"))
        {
            return; // no C toolchain on this machine; the template's files were still generated
        }

        ProcessResult make = DotNet.Run("make", ["-C", dir.Path("word-count"), "OUT=" + dir.Path("plugins", "word-count")]);

        Assert.True(make.ExitCode == 0, make.ToString());
        AssertPluginFolder(dir.Path("plugins", "word-count"), "word-count", "libword-count.so");
    }

    [Fact]
    public void The_Rust_template_builds_a_cdylib_named_in_its_manifest()
    {
        using var dir = new TempDirectory("rust-template");
        Assert.Equal(0, packages.New("plugboard-plugin-rust", "-n", "keyword_tags", "-o", dir.Path("keyword_tags")).ExitCode);
        if (!OnPath("cargo"))
        {
            return;
        }

        ProcessResult cargo = DotNet.Run("cargo", ["build", "--release", "--offline", "--quiet"], workingDirectory: dir.Path("keyword_tags"));

        Assert.True(cargo.ExitCode == 0, cargo.ToString());
        string folder = dir.Path("plugins", "keyword_tags");
        Directory.CreateDirectory(folder);
        File.Copy(dir.Path("keyword_tags", "target", "release", "libkeyword_tags.so"), Path.Combine(folder, "libkeyword_tags.so"));
        File.Copy(dir.Path("keyword_tags", "plugin.json"), Path.Combine(folder, "plugin.json"));
        AssertPluginFolder(folder, "keyword_tags", "libkeyword_tags.so");
    }

    private static void AssertPluginFolder(string folder, string id, string library)
    {
        PluginManifest manifest = PluginManifest.ReadFrom(folder)!;
        Assert.Equal(id, manifest.Id);
        Assert.Equal(PluginKind.Native, manifest.Kind);
        Assert.Equal(1, manifest.Native!.AbiMajor);
        Assert.Equal(library, manifest.Native.Libraries["linux-x64"]);
        Assert.True(File.Exists(Path.Combine(folder, library)));
        Assert.Contains("plugboard_entry_v1", File.ReadAllText(Path.Combine(folder, library)), StringComparison.Ordinal);
    }

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Any(d => File.Exists(Path.Combine(d, tool)));
}
