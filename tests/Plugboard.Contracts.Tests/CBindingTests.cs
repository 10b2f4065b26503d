using System.Runtime.CompilerServices;

namespace Plugboard.Contracts.Tests;

/// <summary>The emitted C header, compiled by gcc and g++ under strict flags and run.</summary>
public sealed class CBindingTests
{
    [Theory]
    [InlineData("gcc", "-std=c11", "c")]
    [InlineData("gcc", "-std=c99", "c")]
    [InlineData("g++", "-std=c++11", "c++")]
    public void The_emitted_headers_compile_under_strict_flags(string compiler, string standard, string language)
    {
        foreach (string api in new[] { TestApis.Notebook, TestApis.Shapes })
        {
            ContractModel model = TestApis.Read(api);
            string directory = Toolchain.Emit(model, BindingLanguage.C, "header");
            string header = ContractBindings.BaseName(model) + ".h";
            string source = Path.Combine(directory, "use." + (language == "c" ? "c" : "cpp"));
            File.WriteAllText(source, $"#include \"{header}\"\nint main(void) {{ return 0; }}\n");

            Toolchain.Succeed(compiler, standard, "-Wall", "-Wextra", "-Werror", "-pedantic", "-x", language, "-I", Toolchain.PlugboardInclude, "-I", directory, "-c", source, "-o", Path.Combine(directory, "use.o"));
        }
    }

    [Theory]
    [InlineData("gcc", "-std=c11", "c")]
    [InlineData("g++", "-std=c++11", "c++")]
    public void A_C_program_serves_and_calls_a_table_and_sees_the_CSharp_layouts(string compiler, string standard, string language)
    {
        ContractModel model = TestApis.Read(TestApis.Shapes);
        string directory = Toolchain.Emit(model, BindingLanguage.C, "cprogram");
        string exe = Path.Combine(directory, "use_shapes");
        Toolchain.Succeed(compiler, standard, "-Wall", "-Wextra", "-Werror", "-pedantic", "-x", language, "-I", Toolchain.PlugboardInclude, "-I", directory, Toolchain.NativeSource("use_shapes.c"), "-o", exe);

        string[] lines = Toolchain.Succeed(exe).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        ContractInterface canvas = model.FindInterface("shapes.canvas/1")!;
        SharedStruct point = model.FindStruct("Shapes.Api.Point")!;
        SharedStruct rect = model.FindStruct("Shapes.Api.Rect")!;
        Assert.Equal(
        [
            "strokes 2",
            "has get_strokes 1",
            "older table has get_strokes 0",
            $"id shapes.canvas/1 members 14 hashes 14 first {LayoutHash.Format(canvas.Methods[0].LayoutHash)}",
            $"layout hash {LayoutHash.Format(canvas.LayoutHash)}",
            "mood 1 level 200",
            $"point {Unsafe.SizeOf<Shapes.Api.Point>()} {string.Join(' ', point.Fields.Select(f => f.Offset))}",
            $"rect {Unsafe.SizeOf<Shapes.Api.Rect>()} {string.Join(' ', rect.Fields.Select(f => f.Offset))}",
        ], lines);
        Assert.Equal(Unsafe.SizeOf<Shapes.Api.Rect>(), rect.Size);
    }

    [Fact]
    public void The_generated_notes_header_keeps_the_layout_the_hand_written_one_had_and_the_C_sample_builds_on_it()
    {
        ContractModel model = TestApis.Read(TestApis.Notebook);
        string generated = Toolchain.Emit(model, BindingLanguage.C, "notes");
        string[] strict = ["-std=c11", "-Wall", "-Wextra", "-Werror", "-pedantic", "-I", Toolchain.PlugboardInclude];

        // The sizes and offsets the hand-written notebook_notes.h had (removed once every sample was on the emitted header):
        // plugins built against it still find each function where they expect it.
        Toolchain.Succeed("gcc", [.. strict, "-I", generated, Toolchain.NativeSource("notes_layout.c"), "-o", Path.Combine(generated, "gen")]);
        Assert.StartsWith("notebook.notes/1 64 0 8 16 24 32 40 48 56", Toolchain.Succeed(Path.Combine(generated, "gen")), StringComparison.Ordinal);

        // The C sample plugin builds against the header emitted today.
        string plugin = Path.Combine(TestApis.RepoRoot, "samples", "native", "c-wordcount", "plugin.c");
        Toolchain.Succeed("gcc", [.. strict, "-I", generated, "-shared", "-fPIC", plugin, "-o", Path.Combine(generated, "libc-wordcount.so")]);
        Assert.True(new FileInfo(Path.Combine(generated, "libc-wordcount.so")).Length > 0);
    }

    [Fact]
    public void Documentation_becomes_one_comment_line_per_function_with_its_thread_and_ownership_rule()
    {
        ContractModel model = TestApis.Read(TestApis.Shapes);
        string header = ContractBindings.Emit(model, BindingLanguage.C).Single().Content;

        Assert.Contains("    /* Sets the title. Thread: any. Ownership: title borrowed; the host copies it. */\n    pb_status (*set_title)(void *ctx, const char *title, size_t title_len);\n", header, StringComparison.Ordinal);
        Assert.Contains("    /* A description of the canvas. Thread: the invoking thread, during invoke. Ownership: the result is copied into the caller's sink. */\n    pb_status (*describe)(void *ctx, void *out_ctx, pb_write_fn out_write);\n", header, StringComparison.Ordinal);
        Assert.Contains("    pb_status (*draw)(void *ctx, void *pen, const shapes_pen_v1 *pen_vtbl, const shapes_point *to);\n", header, StringComparison.Ordinal);
        Assert.Contains("    pb_status (*fill)(void *ctx, int32_t *values, size_t values_len);\n", header, StringComparison.Ordinal);
        Assert.Contains($"#define SHAPES_POINT_LAYOUT_HASH UINT64_C({LayoutHash.Format(model.FindStruct("Shapes.Api.Point")!.LayoutHash)})", header, StringComparison.Ordinal);
        Assert.Contains("    uint32_t struct_size; /* sizeof(shapes_rect) as the sender compiled it; read no field beyond it */", header, StringComparison.Ordinal);
        // Every function has exactly one comment line, directly above it.
        string[] lines = header.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].StartsWith("    pb_status (*", StringComparison.Ordinal))
            {
                Assert.Matches(@"^    /\* .+ Thread: .+ Ownership: .+ \*/$", lines[i - 1]);
            }
        }
        Assert.Equal(28, lines.Count(l => l.StartsWith("    pb_status (*", StringComparison.Ordinal)));
    }
}
