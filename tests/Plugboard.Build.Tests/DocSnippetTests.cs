using System.Text.RegularExpressions;
using Plugboard.Native;

namespace Plugboard.Build.Tests;

/// <summary>
/// The code in the docs compiles as written: each snippet is read from the markdown (so page and test cannot drift)
/// and built the way the page says, with warnings as errors.
/// </summary>
[Collection(DotNetCollection.Name)]
public sealed partial class DocSnippetTests(PackagesFixture packages)
{
    private static readonly string NativeDoc = File.ReadAllText(Repo.Path("docs/native-plugins.md"));

    [Fact]
    public void The_C_snippet_of_native_plugins_md_compiles_with_every_C_compiler_here_in_strict_C11_with_warnings_as_errors()
    {
        using var dir = new TempDirectory("c-snippet");
        string source = dir.Write("plugin.c", Block(NativeDoc, "c", "plugboard_entry_v1"));
        string[] compilers = [.. new[] { "gcc", "clang", "clang-14", "cc" }.Where(OnPath)];
        Assert.True(compilers.Length > 0, "no C compiler on PATH: the C snippet cannot be checked");

        foreach (string compiler in compilers)
        {
            ProcessResult build = DotNet.Run(compiler, ["-std=c11", "-Wall", "-Wextra", "-pedantic", "-Werror", "-shared", "-fPIC", "-fvisibility=hidden",
                "-I", Repo.Path("native/include"), "-I", Repo.Path("samples/Notebook.NativeBridge/Generated"), source, "-o", dir.Path($"libmy-plugin-{compiler}.so")]);
            Assert.True(build.ExitCode == 0, build.ToString());
        }
    }

    [Fact]
    public void The_Rust_snippet_of_native_plugins_md_builds_as_crate_my_plugin_into_libmy_plugin_so_and_answers_the_sample_hosts_operation()
    {
        Assert.True(OnPath("cargo"), "cargo is not on PATH: the Rust snippet cannot be checked");
        using var dir = new TempDirectory("rust-snippet");
        dir.Write("my-plugin/src/lib.rs", Block(NativeDoc, "rust", "export_plugin!"));
        dir.Write("my-plugin/Cargo.toml", $$"""
            [package]
            name = "my-plugin"
            version = "1.0.0"
            edition = "2024"
            publish = false

            [lib]
            crate-type = ["cdylib"]

            [dependencies]
            plugboard = { path = "{{Repo.Path("native/rust/plugboard")}}" }
            """);

        ProcessResult cargo = DotNet.Run("cargo", ["build", "--release", "--offline", "--quiet", "--jobs", "1"], workingDirectory: dir.Path("my-plugin"));

        Assert.True(cargo.ExitCode == 0, cargo.ToString());
        // What the page says: crate my-plugin -> libmy_plugin.so, the name plugin.json must carry.
        string folder = Directory.CreateDirectory(dir.Path("plugins", "my-plugin")).FullName;
        File.Copy(dir.Path("my-plugin", "target", "release", "libmy_plugin.so"), Path.Combine(folder, "libmy_plugin.so"));
        dir.Write("plugins/my-plugin/plugin.json", """
            { "id": "my-plugin", "version": "1.0.0", "kind": "native", "native": { "abiMajor": 1, "libraries": { "linux-x64": "libmy_plugin.so" } } }
            """);
        using NativePlugin plugin = new NativePluginLoader(new NativePluginLoaderOptions { CopyOnLoad = true }).Load(folder);
        Assert.Equal("My plugin", plugin.Name);
        // The operation the page says the sample host invokes is the one it does invoke.
        Assert.Contains("plugin.Invoke(\"process\", note.Body)", File.ReadAllText(Repo.Path("samples/Notebook.AotHost/Program.cs")), StringComparison.Ordinal);
        Assert.Contains("one operation, **`process`**", NativeDoc, StringComparison.Ordinal);
        Assert.Equal("seen", plugin.Invoke("process", ""));
        Assert.Equal("hi", plugin.Invoke("echo", "hi"));
    }

    [Fact]
    public void The_host_and_plugin_snippets_of_hosting_md_build_from_the_packages_as_written()
    {
        string doc = File.ReadAllText(Repo.Path("docs/hosting.md"));
        using var dir = new TempDirectory("hosting-snippets");
        dir.Write("nuget.config", NewcomerTests.DocumentedNuGetConfig(packages.Feed, dir.Path("packages"), Directory.CreateDirectory(dir.Path("no-feed")).FullName));
        // The application's own API: the types the page's snippets use.
        dir.Write("MyApp.Api/MyApp.Api.csproj", ProjectFiles.HostApi());
        dir.Write("MyApp.Api/Api.cs", "namespace MyApp.Api; public interface ILedgerPlugin { string Name { get; } } public sealed class Journal { }");
        dir.Write("MyApp/MyApp.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
              </PropertyGroup>
            {Block(doc, "xml", "Include=\"Plugboard.Hosting\"")}
            </Project>
            """);
        dir.Write("MyApp/Program.cs", Block(doc, "csharp", "Host.CreateApplicationBuilder"));
        dir.Write("MyPlugin/MyPlugin.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <Sdk Name="Plugboard.Build" Version="{Repo.Version}" />
              <PropertyGroup><TargetFramework>net10.0</TargetFramework><Nullable>enable</Nullable></PropertyGroup>
            {Block(doc, "xml", "Include=\"Plugboard.Hosting.Abstractions\"")}
            </Project>
            """);
        dir.Write("MyPlugin/Registration.cs", Block(doc, "csharp", "IPluginServiceRegistration"));
        dir.Write("all.slnx", """<Solution><Project Path="MyApp/MyApp.csproj" /><Project Path="MyPlugin/MyPlugin.csproj" /></Solution>""");

        ProcessResult build = DotNet.Build(dir.Path("all.slnx"));

        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.False(File.Exists(dir.Path("MyPlugin", "bin", "Debug", "net10.0", "Plugboard.Hosting.Abstractions.dll")), "the plugin side references the shared contract compile-only");
    }

    [Fact]
    public void The_host_snippet_of_the_README_builds_from_the_packages_against_the_sample_API()
    {
        string readme = File.ReadAllText(Repo.Path("README.md"));
        using var dir = new TempDirectory("readme-snippet");
        dir.Write("nuget.config", NewcomerTests.DocumentedNuGetConfig(packages.Feed, dir.Path("packages"), Directory.CreateDirectory(dir.Path("no-feed")).FullName));
        // The README's snippet calls the sample's contract: its API is built here from the sample's own source files.
        // The sample API marks its native interface with [ExportedInterface], from Plugboard.Abstractions.
        dir.Write("Notebook.Api/Notebook.Api.csproj", ProjectFiles.HostApi("<Nullable>enable</Nullable><ImplicitUsings>enable</ImplicitUsings>",
            $"""<PackageReference Include="Plugboard.Abstractions" Version="{Repo.Version}" />"""));
        foreach (string source in Directory.GetFiles(Repo.Path("samples/Notebook.Api"), "*.cs"))
        {
            File.Copy(source, dir.Path("Notebook.Api", System.IO.Path.GetFileName(source)));
        }
        dir.Write("MyApp/MyApp.csproj", ProjectFiles.Host("../Notebook.Api/Notebook.Api.csproj"));
        // The snippet's free names (services, note, store) become the parameters of the method it runs in.
        dir.Write("MyApp/Program.cs", $$"""
            using Notebook.Api;
            using Plugboard;

            internal static class Readme
            {
                private static async Task Main() => await Run(new ServiceCollectionless(), new Note("title", "text"), new NotebookStore());

                private static async Task Run(IServiceProvider services, Note note, NotebookStore store)
                {
            {{Block(readme, "csharp", "new PluginHost<INoteProcessor>")}}
                }

                private sealed class ServiceCollectionless : IServiceProvider { public object? GetService(Type serviceType) => null; }
            }
            """);

        ProcessResult build = DotNet.Build(dir.Path("MyApp/MyApp.csproj"));

        Assert.True(build.ExitCode == 0, build.ToString());
    }

    /// <summary>The one fenced block of a language that contains <paramref name="marker"/>.</summary>
    internal static string Block(string markdown, string language, string marker)
    {
        string[] blocks = [.. Fence().Matches(markdown).Where(m => m.Groups[1].Value == language && m.Groups[2].Value.Contains(marker, StringComparison.Ordinal)).Select(m => m.Groups[2].Value)];
        Assert.True(blocks.Length == 1, $"expected one ```{language} block containing '{marker}', found {blocks.Length}");
        return blocks[0];
    }

    [GeneratedRegex("^```([a-z]+)\\n(.*?)^```", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex Fence();

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Any(d => File.Exists(Path.Combine(d, tool)));
}
