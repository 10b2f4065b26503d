using System.Text;
using System.Runtime.InteropServices;
using Plugboard.Native.Loading;

namespace Plugboard.Native.Tests;

public sealed unsafe class SharedLibraryTests
{
    private const string Zlib = "libz.so.1";

    [Fact]
    public void Opens_system_zlib_by_file_name_and_reads_its_version()
    {
        SharedLibrary zlib = SharedLibrary.Open(Zlib);
        using SharedLibrarySymbol zlibVersion = zlib.GetSymbol("zlibVersion");
        var fn = (delegate* unmanaged<byte*>)zlibVersion.Address;
        string? version = System.Runtime.InteropServices.Marshal.PtrToStringUTF8((nint)fn());
        Assert.NotNull(version);
        Assert.StartsWith("1.", version);
    }

    [Theory]
    [InlineData("hello", 0x3610a686u)]
    [InlineData("", 0u)]
    [InlineData("The quick brown fox jumps over the lazy dog", 0x414fa339u)]
    public void Crc32_through_a_typed_function_pointer_gives_known_values(string text, uint expected)
    {
        SharedLibrary zlib = SharedLibrary.Open(Zlib);
        using SharedLibrarySymbol crc32 = zlib.GetSymbol("crc32");
        var fn = (delegate* unmanaged<nuint, byte*, uint, nuint>)crc32.Address;
        byte[] bytes = Encoding.ASCII.GetBytes(text);
        fixed (byte* p = bytes)
        {
            Assert.Equal(expected, (uint)fn(0, p, (uint)bytes.Length));
        }
    }

    [Fact]
    public void Crc32_of_hello_is_907060870()
    {
        SharedLibrary zlib = SharedLibrary.Open(Zlib);
        using SharedLibrarySymbol crc32 = zlib.GetSymbol("crc32");
        var fn = (delegate* unmanaged<nuint, byte*, uint, nuint>)crc32.Address;
        fixed (byte* p = "hello"u8)
        {
            Assert.Equal(907060870u, (uint)fn(0, p, 5));
        }
    }

    [Fact]
    public void Opens_by_bare_name_using_platform_naming_rules()
    {
        // "z" becomes libz.so (dev symlink) or falls through the other candidates; the loader's search path applies.
        Assert.True(SharedLibrary.TryOpen("z", out SharedLibrary? zlib, out IReadOnlyList<string> errors) || errors.Count == 3);
        if (zlib is not null)
        {
            Assert.Equal("libz.so", zlib.LoadedName);
        }
    }

    [Theory]
    [InlineData("z", "Linux", "libz.so|z.so|z")]
    [InlineData("libz.so.1", "Linux", "libz.so.1")]
    [InlineData("/opt/x/libfoo.so", "Linux", "/opt/x/libfoo.so")]
    [InlineData("/opt/x/foo", "Linux", "/opt/x/foo")]
    [InlineData("./foo", "Linux", "./foo")]
    [InlineData("/opt/x/foo", "MacOS", "/opt/x/foo")]
    [InlineData(@"C:\x\foo", "Windows", @"C:\x\foo")]
    [InlineData("z", "MacOS", "libz.dylib|z.dylib|z")]
    [InlineData("libz.1.dylib", "MacOS", "libz.1.dylib")]
    [InlineData("zlib1", "Windows", "zlib1.dll|zlib1")]
    [InlineData(@"C:\x\zlib1.dll", "Windows", @"C:\x\zlib1.dll")]
    public void Names_map_to_per_os_file_names(string name, string platform, string expected)
    {
        Assert.Equal(expected.Split('|'), LibraryNameCandidates.For(name, Enum.Parse<LibraryNameCandidates.Platform>(platform)));
    }

    [Fact]
    public void Missing_library_error_carries_the_loader_message()
    {
        var e = Assert.Throws<SharedLibraryException>(() => SharedLibrary.Open("/nonexistent/dir/libnothing.so"));
        Assert.Contains("No such file or directory", e.LoaderMessage, StringComparison.Ordinal);
        Assert.Contains("/nonexistent/dir/libnothing.so", e.Message, StringComparison.Ordinal);
        Assert.Null(e.Symbol);
    }

    [Fact]
    public void Not_a_library_error_carries_the_loader_message()
    {
        string dir = TestPaths.NewTempDirectory("not-elf");
        string path = Path.Combine(dir, "libtext.so");
        File.WriteAllText(path, string.Concat(Enumerable.Repeat("This is a text file that someone named like a shared library.\n", 4)));
        var e = Assert.Throws<SharedLibraryException>(() => SharedLibrary.Open(path));
        Assert.Contains("invalid ELF header", e.LoaderMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_symbol_error_carries_the_loader_message()
    {
        SharedLibrary zlib = SharedLibrary.Open(Zlib);
        var e = Assert.Throws<SharedLibraryException>(() => zlib.GetSymbol("no_such_function_here"));
        Assert.Equal("no_such_function_here", e.Symbol);
        Assert.Contains("undefined symbol: no_such_function_here", e.LoaderMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Close_is_refused_while_a_symbol_is_live_and_allowed_after()
    {
        SharedLibrary zlib = SharedLibrary.Open(Zlib);
        SharedLibrarySymbol symbol = zlib.GetSymbol("zlibVersion");
        Assert.Equal(1, zlib.LiveSymbolCount);
        Assert.False(zlib.TryClose());
        var e = Assert.Throws<InvalidOperationException>(zlib.Close);
        Assert.Contains("still in use", e.Message, StringComparison.Ordinal);
        Assert.Same(zlib, symbol.Library);

        symbol.Dispose();
        symbol.Dispose(); // idempotent, never double-released
        Assert.Equal(0, zlib.LiveSymbolCount);
        Assert.Throws<ObjectDisposedException>(() => symbol.Address);
        zlib.Close();
        Assert.True(zlib.IsClosed);
        Assert.Throws<ObjectDisposedException>(() => zlib.GetSymbol("crc32"));
    }

    [Fact]
    public void A_symbol_keeps_its_library_reachable_without_other_references()
    {
        SharedLibrarySymbol symbol = OpenAndForget();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var fn = (delegate* unmanaged<nuint, byte*, uint, nuint>)symbol.Address;
        fixed (byte* p = "hello"u8)
        {
            Assert.Equal(0x3610a686u, (uint)fn(0, p, 5));
        }
        Assert.False(symbol.Library.IsClosed);
        symbol.Dispose();

        static SharedLibrarySymbol OpenAndForget() => SharedLibrary.Open(Zlib).GetSymbol("crc32");
    }

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate nuint Crc32Function(nuint crc, byte* data, uint length);

    [Fact]
    public void GetFunction_gives_a_typed_delegate_that_holds_the_library_open()
    {
        using SharedLibrary zlib = SharedLibrary.Open(Zlib);
        using (SharedLibraryFunction<Crc32Function> crc32 = zlib.GetFunction<Crc32Function>("crc32"))
        {
            fixed (byte* p = "hello"u8)
            {
                Assert.Equal(907060870u, (uint)crc32.Invoke(0, p, 5));
            }
            Assert.Equal(1, zlib.LiveSymbolCount);
            Assert.False(zlib.TryClose());
            crc32.Dispose();
            Assert.Throws<ObjectDisposedException>(() => crc32.Invoke);
        }
        Assert.Equal(0, zlib.LiveSymbolCount);
        Assert.Throws<SharedLibraryException>(() => zlib.GetFunction<Crc32Function>("no_such_function_here"));
    }

    [Fact]
    public void Dispose_closes_when_the_last_symbol_goes()
    {
        SharedLibrary zlib = SharedLibrary.Open(Zlib);
        SharedLibrarySymbol symbol = zlib.GetSymbol("zlibVersion");
        zlib.Dispose();
        Assert.False(zlib.IsClosed);
        symbol.Dispose();
        Assert.True(zlib.IsClosed);
    }

    [Fact]
    public void A_full_path_is_opened_as_given_never_expanded_to_a_lib_prefixed_neighbour()
    {
        string dir = TestPaths.NewTempDirectory("no-expansion");
        File.Copy(Path.Combine(TestPaths.TestPlugin("echo"), "libecho.so"), Path.Combine(dir, "libplugin.so"));
        var e = Assert.Throws<SharedLibraryException>(() => SharedLibrary.Open(Path.Combine(dir, "plugin")));
        Assert.Single(e.LoaderMessages);
        Assert.Contains(Path.Combine(dir, "plugin"), e.LoaderMessage, StringComparison.Ordinal);
    }
}
