using System.Diagnostics;

namespace Plugboard.Native.Tests;

/// <summary>The public headers compile cleanly under strict flags, as a plugin author's compiler will see them.</summary>
public sealed class HeaderTests
{
    [Theory]
    [InlineData("cc", "-std=c11 -Wall -Wextra -Werror -pedantic", "c")]
    [InlineData("cc", "-std=c99 -Wall -Wextra -Werror -pedantic", "c")]
    [InlineData("c++", "-std=c++11 -Wall -Wextra -Werror -pedantic", "cpp")]
    public void Headers_compile_under_strict_flags(string compiler, string flags, string extension)
    {
        string dir = TestPaths.NewTempDirectory("header");
        string source = Path.Combine(dir, "use_headers." + extension);
        File.WriteAllText(source, """
            #include "plugboard.h"
            #include "notebook_api.h"

            static pb_status write_nothing(void *ctx, const char *data, size_t len) { (void)ctx; (void)data; (void)len; return PB_OK; }

            int main(void)
            {
                pb_write_fn sink = write_nothing;
                pb_plugin plugin;
                notebook_notes_v1 notes;
                plugin.magic = PLUGBOARD_PLUGIN_MAGIC;
                notes.struct_size = (uint32_t)sizeof notes;
                return (sink(0, 0, 0) == PB_OK && plugin.magic != 0 && notes.struct_size != 0 && sizeof(pb_host) > 0) ? 0 : 1;
            }
            """);
        string include = Path.Combine(TestPaths.RepoRoot, "native", "include");
        string notebook = Path.Combine(TestPaths.RepoRoot, "samples", "Notebook.NativeBridge", "Generated");
        (int exit, string output) = Run(compiler, $"{flags} -I\"{include}\" -I\"{notebook}\" -c \"{source}\" -o \"{Path.Combine(dir, "out.o")}\"");
        Assert.True(exit == 0, $"{compiler} {flags} rejected the headers:\n{output}");
    }

    [Fact]
    public void Struct_layouts_match_the_csharp_mirrors()
    {
        string dir = TestPaths.NewTempDirectory("layout");
        string source = Path.Combine(dir, "layout.c");
        File.WriteAllText(source, """
            #include <stdio.h>
            #include <stddef.h>
            #include "plugboard.h"
            int main(void)
            {
                printf("%zu %zu %zu %zu\n", sizeof(pb_host), sizeof(pb_plugin), offsetof(pb_plugin, flags), offsetof(pb_plugin, invoke));
                return 0;
            }
            """);
        string exe = Path.Combine(dir, "layout");
        (int exit, string output) = Run("cc", $"-std=c11 -I\"{Path.Combine(TestPaths.RepoRoot, "native", "include")}\" \"{source}\" -o \"{exe}\"");
        Assert.True(exit == 0, output);
        (exit, output) = Run(exe, string.Empty);
        Assert.Equal(0, exit);
        unsafe
        {
            string expected = string.Join(' ',
                sizeof(Internal.AbiHostTable), sizeof(Internal.AbiPluginDescriptor),
                System.Runtime.InteropServices.Marshal.OffsetOf<Internal.AbiPluginDescriptor>(nameof(Internal.AbiPluginDescriptor.Flags)),
                System.Runtime.InteropServices.Marshal.OffsetOf<Internal.AbiPluginDescriptor>(nameof(Internal.AbiPluginDescriptor.Invoke)));
            Assert.Equal(expected, output.Trim());
        }
    }

    private static (int Exit, string Output) Run(string file, string arguments)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using Process process = Process.Start(start)!;
        string stdout = process.StandardOutput.ReadToEnd();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr);
    }
}
