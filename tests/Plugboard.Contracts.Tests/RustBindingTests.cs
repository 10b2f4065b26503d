namespace Plugboard.Contracts.Tests;

/// <summary>The plugboard SDK crate compiled once (rustc, std only, offline) for the tests that build emitted modules on it.</summary>
public sealed class RustSdk
{
    public RustSdk()
    {
        Directory = TestApis.NewTempDirectory("rust-sdk");
        string lib = Path.Combine(TestApis.RepoRoot, "native", "rust", "plugboard", "src", "lib.rs");
        Toolchain.Succeed("rustc", "--edition", "2024", "--crate-type", "rlib", "--crate-name", "plugboard", lib, "-o", Path.Combine(Directory, "libplugboard.rlib"));
    }

    public string Directory { get; }

    public string[] Extern => ["--extern", $"plugboard={Path.Combine(Directory, "libplugboard.rlib")}", "-L", Directory];
}

/// <summary>The emitted Rust module, built by rustc with warnings denied, and run against itself through the C ABI.</summary>
public sealed class RustBindingTests(RustSdk sdk) : IClassFixture<RustSdk>
{
    [Fact]
    public void The_emitted_modules_build_with_warnings_denied()
    {
        string directory = TestApis.NewTempDirectory("rust-lib");
        foreach (string api in new[] { TestApis.Notebook, TestApis.Shapes })
        {
            foreach (EmittedFile file in ContractBindings.Emit(TestApis.Read(api), BindingLanguage.Rust))
            {
                File.WriteAllText(Path.Combine(directory, file.FileName), file.Content);
            }
        }
        string lib = Path.Combine(directory, "lib.rs");
        File.WriteAllText(lib, "#![deny(warnings)]\npub mod notebook_api;\npub mod shapes_api;\n");

        Toolchain.Succeed("rustc", ["--edition", "2024", "--crate-type", "rlib", "--crate-name", "bindings", lib, .. sdk.Extern, "-o", Path.Combine(directory, "libbindings.rlib")]);
    }

    [Fact]
    public void A_Rust_implementation_served_through_the_generated_table_answers_the_generated_client_and_refuses_bad_input()
    {
        string directory = Toolchain.Emit(TestApis.Read(TestApis.Shapes), BindingLanguage.Rust, "rust-roundtrip");
        string main = Path.Combine(directory, "main.rs");
        File.Copy(Toolchain.NativeSource("canvas_roundtrip.rs"), main);
        string exe = Path.Combine(directory, "roundtrip");
        Toolchain.Succeed("rustc", ["--edition", "2024", "--crate-type", "bin", main, .. sdk.Extern, "-o", exe]);

        (int exit, string output) = Toolchain.Run(exe, []);

        Assert.True(exit == 0, output);
        string[] lines = [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.Contains("panicked", StringComparison.Ordinal) && !l.StartsWith("scale too large", StringComparison.Ordinal) && !l.StartsWith("note:", StringComparison.Ordinal))];
        Assert.Equal(
        [
            "describe: canvas 'Sketch' ü",
            "sum: 11",
            "fill: [1, 2, 3, 4]",
            "count_positive: 2",
            "center: 15 23 size 24",
            "is_empty: true",
            "is_empty after set_visible: false",
            "mood: 1",
            "snapshot: [1, 2, 3, 255]",
            "checksum: 301",
            "strokes: 2",
            "scale: 2.5",
            "error status: -2",
            "panic status: -6",
            "invalid utf8: -5",
            "null with length: -2",
            "null context: -2",
            "struct too small: -2",
            "span element of another size: -2",
            "bool not 0 or 1: -2",
            "null out pointer: -2",
            "older rect: 0",
            "older rect center: 10 0",
            "old table describe: true",
            "old table sum: -3 the shapes.canvas/1 table (24 bytes) has no function sum: the other side was built against an older minor",
        ], lines);
    }
}
