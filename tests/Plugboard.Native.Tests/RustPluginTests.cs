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
