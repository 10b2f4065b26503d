namespace Plugboard.Native.Tests;

/// <summary>One invoke may write at most NativePluginLoaderOptions.MaxOutputBytes; past it the sink says PB_ERR_BUFFER_TOO_SMALL.</summary>
public sealed class OutputLimitTests
{
    [Fact]
    public void Output_past_the_per_call_limit_is_refused_with_PB_ERR_BUFFER_TOO_SMALL_and_PB0417()
    {
        NativePluginLoaderOptions options = TestLoaders.Options();
        options.MaxOutputBytes = 1024 * 1024;
        using NativePlugin plugin = new NativePluginLoader(options).Load(TestPaths.TestPlugin("echo"));

        var e = Assert.Throws<PluginException>(() => plugin.Invoke("flood", "65536")); // 64 MiB asked

        Assert.Equal(PluginErrorCode.NativeOutputLimitExceeded, e.Code);
        Assert.Contains("invoke('flood') of plugin 'echo' tried to write 1114112 bytes; the limit per call is 1048576 bytes", e.Message, StringComparison.Ordinal);
        Assert.Contains("plugin returned PB_ERR_BUFFER_TOO_SMALL (-7)", e.Message, StringComparison.Ordinal);
        Assert.Contains("MaxOutputBytes", e.Message, StringComparison.Ordinal);
        Assert.Equal(512 * 1024, plugin.Invoke("flood", "512").Length);
    }

    [Fact]
    public void The_limit_also_holds_for_a_large_span()
    {
        NativePluginLoaderOptions options = TestLoaders.Options();
        options.MaxOutputBytes = 64 * 1024;
        using NativePlugin plugin = new NativePluginLoader(options).Load(TestPaths.TestPlugin("echo"));
        byte[] output = new byte[1024 * 1024];

        var e = Assert.Throws<PluginException>(() => plugin.Invoke("flood"u8, "256"u8, output, 0));

        Assert.Equal(PluginErrorCode.NativeOutputLimitExceeded, e.Code);
        Assert.Equal(64 * 1024, plugin.Invoke("flood"u8, "64"u8, output, 0));
    }

    [Fact]
    public void MaxOutputBytes_must_be_positive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new NativePluginLoaderOptions { MaxOutputBytes = 0 });
    }
}
