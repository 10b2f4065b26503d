using System.Text.Json.Nodes;

namespace Plugboard.Build.Tests;

/// <summary>
/// The build kit's native targets merge a plugin item's <c>Interfaces</c> (an <c>&lt;api&gt;.interfaces.json</c> as
/// bindgen writes it) into the plugin.json copied next to its library, and refuse a manifest that records the section
/// itself (one source of hashes).
/// </summary>
public sealed class NativeManifestMergeTests
{
    private const string Interfaces = """
        {
          "interfaces": {
            "demo.thing/1": ["0x0000000000000001", "0x0000000000000002"]
          }
        }
        """;

    [Fact]
    public void The_copied_manifest_carries_the_emitted_section_and_is_otherwise_the_source()
    {
        using var dir = new TempDirectory("manifest-merge");
        string source = """{ "id": "demo", "version": "1.0.0", "kind": "native", "native": { "abiMajor": 1, "libraries": { "linux-x64": "libdemo.so" } } }""";
        ProcessResult build = BuildDemo(dir, source);

        Assert.True(build.ExitCode == 0, build.ToString());
        JsonNode built = JsonNode.Parse(File.ReadAllText(dir.Path("out", "demo", "plugin.json")))!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Interfaces)!["interfaces"], built["native"]!["interfaces"]), built.ToJsonString());
        built["native"]!.AsObject().Remove("interfaces");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(source), built), built.ToJsonString());
    }

    [Fact]
    public void A_manifest_that_records_the_section_itself_fails_the_build_naming_both_files()
    {
        using var dir = new TempDirectory("manifest-merge-twice");
        ProcessResult build = BuildDemo(dir, """{ "id": "demo", "version": "1.0.0", "kind": "native", "native": { "abiMajor": 1, "libraries": { "linux-x64": "libdemo.so" }, "interfaces": { "demo.thing/1": ["0x0000000000000009"] } } }""");

        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains("records native.interfaces itself and the build merges", build.Output, StringComparison.Ordinal);
        Assert.Contains("demo.interfaces.json: remove the section from plugin.json", build.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.Path("out", "demo", "plugin.json")));
    }

    /// <summary>A C plugin folder built by the native targets alone (a project with no SDK), its item naming the interfaces file.</summary>
    private static ProcessResult BuildDemo(TempDirectory dir, string manifest)
    {
        bool cc = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator).Any(d => File.Exists(System.IO.Path.Combine(d, "cc")));
        Assert.True(cc, "no cc on PATH: the native targets skip C plugins, so the merge cannot be checked");
        dir.Write("demo/plugin.c", "#include \"plugboard.h\"\nPLUGBOARD_EXPORT int demo(void);\nPLUGBOARD_EXPORT int demo(void) { return 1; }\n");
        dir.Write("demo/plugin.json", manifest);
        dir.Write("demo.interfaces.json", Interfaces);
        string project = dir.Write("build.proj", $"""
            <Project>
              <PropertyGroup>
                <RepoRoot>{Repo.Path("")}/</RepoRoot>
                <ArtifactsRoot>{dir.Path("artifacts")}/</ArtifactsRoot>
              </PropertyGroup>
              <ItemGroup>
                <PbCPlugin Include="demo/plugin.c" OutputRoot="{dir.Path("out")}/" Interfaces="{dir.Path("demo.interfaces.json")}" />
              </ItemGroup>
              <Import Project="{Repo.Path("native/build/Plugboard.NativePlugins.targets")}" />
            </Project>
            """);
        return DotNet.Run("dotnet", ["msbuild", project, "-t:PbBuildCPlugins", "-nologo", "-nodeReuse:false"], workingDirectory: dir.Root);
    }
}
