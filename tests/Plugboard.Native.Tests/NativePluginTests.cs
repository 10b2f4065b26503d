using System.Buffers;
using System.Text;

namespace Plugboard.Native.Tests;

public sealed class NativePluginTests
{
    [Fact]
    public void Loads_a_c_plugin_and_reads_its_descriptor()
    {
        using NativePlugin plugin = TestLoaders.Create().Load(TestPaths.TestPlugin("echo"));
        Assert.Equal("echo", plugin.Id);
        Assert.Equal("echo", plugin.Name);
        Assert.Equal("1.0.0", plugin.Version);
        Assert.Equal(NativePluginFlags.None, plugin.Flags);
        Assert.EndsWith("libecho.so", plugin.LibraryPath, StringComparison.Ordinal);
    }

    [Fact]
    public void Invoke_round_trips_utf8_text()
    {
        using NativePlugin plugin = TestLoaders.Create().Load(TestPaths.TestPlugin("echo"));
        Assert.Equal("grüße, 世界", plugin.Invoke("echo", "grüße, 世界"));
        Assert.Equal(string.Empty, plugin.Invoke("echo", string.Empty));
    }

    [Fact]
    public void Invoke_into_a_span_and_into_a_buffer_writer()
    {
        using NativePlugin plugin = TestLoaders.Create().Load(TestPaths.TestPlugin("echo"));
        Span<byte> output = stackalloc byte[64];
        int written = plugin.Invoke("echo"u8, "abc"u8, output, 0);
        Assert.Equal("abc", Encoding.UTF8.GetString(output[..written]));

        var writer = new ArrayBufferWriter<byte>();
        plugin.Invoke("echo"u8, "xyz"u8, writer, 0);
        Assert.Equal("xyz", Encoding.UTF8.GetString(writer.WrittenSpan));
    }

    [Fact]
    public void Output_larger_than_the_span_is_a_typed_error_naming_the_size()
    {
        using NativePlugin plugin = TestLoaders.Create().Load(TestPaths.TestPlugin("echo"));
        byte[] output = new byte[4];
        var e = Assert.Throws<PluginException>(() => plugin.Invoke("echo"u8, "too long"u8, output, 0));
        Assert.Equal(PluginErrorCode.NativeCallFailed, e.Code);
        Assert.Contains("needs 8 bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_common_invoke_path_allocates_nothing()
    {
        using NativePlugin plugin = TestLoaders.Create().Load(TestPaths.TestPlugin("echo"));
        byte[] output = new byte[256];
        ReadOnlySpan<byte> op = "echo"u8;
        ReadOnlySpan<byte> input = "a note body to echo back"u8;
        for (int i = 0; i < 1000; i++)
        {
            plugin.Invoke(op, input, output, 0); // warm up: JIT tiers, thread statics
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        int total = 0;
        for (int i = 0; i < 10_000; i++)
        {
            total += plugin.Invoke(op, input, output, 0);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(10_000 * input.Length, total);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Error_status_with_set_error_message_becomes_PB0409_with_that_message()
    {
        using NativePlugin plugin = TestLoaders.Create().Load(TestPaths.TestPlugin("echo"));
        var e = Assert.Throws<PluginException>(() => plugin.Invoke("fail", "x"));
        Assert.Equal(PluginErrorCode.NativeCallFailed, e.Code);
        Assert.Contains("PB0409", e.Message, StringComparison.Ordinal);
        Assert.Contains("invoke('fail')", e.Message, StringComparison.Ordinal);
        Assert.Contains("PB_ERR_INVALID_ARGUMENT (-2)", e.Message, StringComparison.Ordinal);
        Assert.Contains("input must not be empty", e.Message, StringComparison.Ordinal);
        Assert.Contains("libecho.so", e.Message, StringComparison.Ordinal);
        Assert.Equal("ok", plugin.Invoke("echo", "ok")); // the plugin keeps working
    }

    [Fact]
    public void Error_status_without_message_says_the_plugin_gave_none()
    {
        using NativePlugin plugin = TestLoaders.Create().Load(TestPaths.TestPlugin("echo"));
        var e = Assert.Throws<PluginException>(() => plugin.Invoke("fail-silent", "x"));
        Assert.Equal(PluginErrorCode.NativeCallFailed, e.Code);
        Assert.Contains("PB_ERR_FAILED (-1)", e.Message, StringComparison.Ordinal);
        Assert.Contains("did not call set_error", e.Message, StringComparison.Ordinal);
        // A stale message must not leak into the next failure.
        _ = Assert.Throws<PluginException>(() => plugin.Invoke("fail", "x"));
        var again = Assert.Throws<PluginException>(() => plugin.Invoke("fail-silent", "x"));
        Assert.DoesNotContain("input must not be empty", again.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_utf8_output_is_PB0410()
    {
        using NativePlugin plugin = TestLoaders.Create().Load(TestPaths.TestPlugin("echo"));
        var e = Assert.Throws<PluginException>(() => plugin.Invoke("bad-utf8", string.Empty));
        Assert.Equal(PluginErrorCode.NativeInvalidUtf8, e.Code);
        Assert.Contains("not valid UTF-8", e.Message, StringComparison.Ordinal);
        Assert.Equal("still fine", plugin.Invoke("echo", "still fine"));
    }

    [Fact]
    public void Invalid_utf8_sent_to_a_host_function_is_refused_with_PB_ERR_INVALID_UTF8()
    {
        var log = new RecordingLog();
        using NativePlugin plugin = TestLoaders.Create(log).Load(TestPaths.TestPlugin("echo"));
        byte[] invalid = [0x68, 0x69, 0xC3, 0x28];
        var e = Assert.Throws<PluginException>(() => plugin.Invoke("log"u8, invalid, new byte[16], 0));
        Assert.Equal(PluginErrorCode.NativeCallFailed, e.Code);
        Assert.Contains("PB_ERR_INVALID_UTF8 (-5)", e.Message, StringComparison.Ordinal);
        Assert.Empty(log.Lines);
        Assert.Equal("fine", plugin.Invoke("echo", "fine"));
    }

    [Fact]
    public void Host_log_reaches_the_host_log_with_the_plugin_id()
    {
        var log = new RecordingLog();
        using NativePlugin plugin = TestLoaders.Create(log).Load(TestPaths.TestPlugin("echo"));
        plugin.Invoke("log", "hello from C");
        Assert.Contains((PluginLogLevel.Information, "[echo] hello from C"), log.Lines);
    }

    [Fact]
    public unsafe void Host_interfaces_are_found_by_versioned_id()
    {
        NativePluginLoaderOptions options = TestLoaders.Options();
        nint table = (nint)System.Runtime.InteropServices.NativeMemory.AllocZeroed(16);
        options.Interfaces.Register("test.thing/1", table);
        using NativePlugin plugin = new NativePluginLoader(options).Load(TestPaths.TestPlugin("echo"));
        Assert.Equal("yes", plugin.Invoke("has-interface", "test.thing/1"));
        Assert.Equal("no", plugin.Invoke("has-interface", "test.thing/2"));
        Assert.Equal("no", plugin.Invoke("has-interface", "other/1"));
        Assert.Throws<ArgumentException>(() => options.Interfaces.Register("unversioned", table));
    }

    [Fact]
    public void Dispose_runs_shutdown_once_and_later_calls_are_refused_but_the_library_stays_mapped()
    {
        NativePlugin plugin = TestLoaders.Create().Load(TestPaths.TestPlugin("echo"));
        plugin.Dispose();
        plugin.Dispose();
        Assert.True(plugin.IsDisposed);
        Assert.False(plugin.IsUnloaded); // not declared unloadable: never dlclose'd
        Assert.Throws<ObjectDisposedException>(() => plugin.Invoke("echo", "x"));
    }

    [Fact]
    public void An_unloadable_plugin_is_closed_on_dispose()
    {
        NativePlugin plugin = TestLoaders.Create().Load(TestPaths.TestPlugin("echo-unloadable"));
        Assert.Equal(NativePluginFlags.Unloadable, plugin.Flags);
        Assert.Equal("x", plugin.Invoke("echo", "x"));
        plugin.Dispose();
        Assert.True(plugin.IsUnloaded);
    }

    [Fact]
    public void A_thread_safe_plugin_is_called_concurrently_and_a_serialized_one_still_answers_from_many_threads()
    {
        using NativePlugin threadSafe = TestLoaders.Create().Load(TestPaths.TestPlugin("echo-threadsafe"));
        using NativePlugin serialized = TestLoaders.Create().Load(TestPaths.TestPlugin("echo"));
        Assert.True(threadSafe.Flags.HasFlag(NativePluginFlags.ThreadSafe));
        Parallel.For(0, 2000, i =>
        {
            string text = "n" + i;
            Assert.Equal(text, threadSafe.Invoke("echo", text));
            Assert.Equal(text, serialized.Invoke("echo", text));
        });
    }

    [Fact]
    public void Copy_on_load_picks_up_a_rebuilt_library_at_the_same_path()
    {
        string folder = TestPaths.NewTempDirectory("reload");
        string v1 = TestPaths.TestPlugin("reload-v1");
        string v2 = TestPaths.TestPlugin("reload-v2");
        string library = Path.Combine(folder, "libreload.so");
        File.WriteAllText(Path.Combine(folder, "plugin.json"),
            """{"id":"reload","version":"1.0.0","kind":"native","native":{"abiMajor":1,"libraries":{"linux-x64":"libreload.so"}}}""");
        var loader = new NativePluginLoader(new NativePluginLoaderOptions { CopyOnLoad = true, ShadowCopyDirectory = Path.Combine(folder, "shadow") });

        File.Copy(Path.Combine(v1, "libreload-v1.so"), library);
        using NativePlugin first = loader.Load(folder);
        Assert.Equal("1.0.0", first.Invoke("version", string.Empty));
        Assert.NotEqual(library, first.LoadedFrom);
        Assert.False(File.Exists(first.LoadedFrom)); // unlinked after opening; the mapping keeps it alive

        // "Rebuild": a new file at the same path (new inode, as a compiler's output would be).
        File.Delete(library);
        File.Copy(Path.Combine(v2, "libreload-v2.so"), library);
        using NativePlugin second = loader.Load(folder);
        Assert.Equal("2.0.0", second.Invoke("version", string.Empty));
        Assert.Equal("1.0.0", first.Invoke("version", string.Empty)); // the old image stays mapped and usable

        // Without copy-on-load the loader hands back the image it already has for that path: a rebuilt file is ignored.
        NativePlugin direct = new NativePluginLoader().Load(folder);
        Assert.Equal("2.0.0", direct.Invoke("version", string.Empty));
        direct.Dispose();
        File.Delete(library);
        File.Copy(Path.Combine(v1, "libreload-v1.so"), library);
        using NativePlugin stale = new NativePluginLoader().Load(folder);
        Assert.Equal("2.0.0", stale.Invoke("version", string.Empty));
    }

    [Fact]
    public void A_second_live_load_of_the_same_image_is_refused_because_it_would_share_globals()
    {
        string folder = TestPaths.NewTempDirectory("twice");
        foreach (string file in Directory.GetFiles(TestPaths.TestPlugin("echo")))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }
        NativePlugin first = new NativePluginLoader().Load(folder);
        var e = Assert.Throws<PluginException>(() => new NativePluginLoader().Load(folder));
        Assert.Equal(PluginErrorCode.NativeLibraryLoadFailed, e.Code);
        Assert.Contains("already loaded in this process by plugin 'echo'", e.Message, StringComparison.Ordinal);
        Assert.Contains("CopyOnLoad", e.Message, StringComparison.Ordinal);
        Assert.Equal("still one", first.Invoke("echo", "still one"));

        using NativePlugin copy = TestLoaders.Create().Load(folder); // its own image: allowed
        Assert.Equal("copy", copy.Invoke("echo", "copy"));
        first.Dispose();
        using NativePlugin again = new NativePluginLoader().Load(folder); // the image is free again
        Assert.Equal("again", again.Invoke("echo", "again"));
    }

    private sealed class RecordingLog : IPluginLog
    {
        public List<(PluginLogLevel, string)> Lines { get; } = [];

        public void Write(PluginLogLevel level, string message, Exception? exception = null)
        {
            lock (Lines)
            {
                Lines.Add((level, message));
            }
        }
    }
}
