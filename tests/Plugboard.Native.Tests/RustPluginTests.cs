namespace Plugboard.Native.Tests;

public sealed class RustPluginTests
{
    [Fact]
    public void A_panic_inside_init_becomes_PB0409_with_the_panic_message_not_an_abort()
    {
        using NativePlugin good = TestLoaders.Create().Load(TestPaths.TestPlugin("echo"));
        var e = Assert.Throws<PluginException>(() => TestLoaders.Create().Load(TestPaths.TestPlugin("rust-panic-init")));
        Assert.Equal(PluginErrorCode.NativeCallFailed, e.Code);
        Assert.Contains("init returned PB_ERR_PANIC (-6)", e.Message, StringComparison.Ordinal);
        Assert.Contains("panic in init: configuration missing: wordlist.txt", e.Message, StringComparison.Ordinal);
        Assert.Contains("librust_panic_init.so", e.Message, StringComparison.Ordinal);
        Assert.Equal("alive", good.Invoke("echo", "alive"));
    }

    [Fact]
    public void A_panic_inside_invoke_becomes_PB0409_and_the_plugin_keeps_working()
    {
        using NativePlugin good = TestLoaders.Create().Load(TestPaths.TestPlugin("echo"));
        using NativePlugin plugin = TestLoaders.Create().Load(TestPaths.TestPlugin("rust-panic-invoke"));
        Assert.Equal("hi", plugin.Invoke("echo", "hi"));

        var e = Assert.Throws<PluginException>(() => plugin.Invoke("panic", "x"));
        Assert.Equal(PluginErrorCode.NativeCallFailed, e.Code);
        Assert.Contains("PB_ERR_PANIC (-6)", e.Message, StringComparison.Ordinal);
        Assert.Contains("panic in invoke: index out of bounds", e.Message, StringComparison.Ordinal);

        // Same plugin, same state: the poisoned lock was recovered.
        Assert.Equal("after", plugin.Invoke("echo", "after"));
        Assert.Equal("4", plugin.Invoke("calls", string.Empty));
        var error = Assert.Throws<PluginException>(() => plugin.Invoke("fail", string.Empty));
        Assert.Contains("PB_ERR_INVALID_ARGUMENT (-2): rust says no", error.Message, StringComparison.Ordinal);
        Assert.Equal("alive", good.Invoke("echo", "alive"));
    }

    [Fact]
    public void Rust_plugins_never_declare_themselves_unloadable()
    {
        NativePlugin plugin = TestLoaders.Create().Load(TestPaths.TestPlugin("rust-panic-invoke"));
        Assert.False(plugin.Flags.HasFlag(NativePluginFlags.Unloadable));
        plugin.Dispose();
        Assert.False(plugin.IsUnloaded);
    }
}

/// <summary>Misuse of the Rust SDK in safe Rust (<c>#![forbid(unsafe_code)]</c>) must not crash or hang the host.</summary>
[Collection(GlobalMeasurement.Name)]
public sealed class RustSdkSoundnessTests
{
    [Fact]
    public void A_Host_kept_by_a_thread_after_shutdown_gets_an_error_and_the_host_keeps_running()
    {
        string marker = Path.Combine(TestPaths.NewTempDirectory("rust-misuse"), "host-gone.txt");
        NativePlugin plugin = TestLoaders.Create().Load(TestPaths.TestPlugin("rust-misuse"));
        Assert.Equal("started", plugin.Invoke("keep-logging", marker));

        plugin.Dispose();
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!File.Exists(marker) && waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            Thread.Sleep(10);
        }

        Assert.True(File.Exists(marker), "the thread never saw the host go away");
        Assert.Null(plugin.ShutdownError);
        Thread.Sleep(50); // the file is written in one call; let it finish
        Assert.Equal("-8 the host table was used after the plugin was shut down", File.ReadAllText(marker));
        using NativePlugin again = TestLoaders.Create().Load(TestPaths.TestPlugin("rust-misuse"));
        Assert.Equal("logged", again.Invoke("log", "after"));
    }
}
