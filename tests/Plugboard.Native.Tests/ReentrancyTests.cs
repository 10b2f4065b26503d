namespace Plugboard.Native.Tests;

/// <summary>
/// A host callback (here: the plugin's log line) that makes the host call the same plugin again on the same thread.
/// A plugin without PB_FLAG_THREAD_SAFE is never re-entered (PB0412 naming plugin and operations); a thread-safe C
/// plugin is; the Rust SDK refuses re-entry itself instead of deadlocking.
/// </summary>
public sealed class ReentrancyTests
{
    [Fact]
    public void A_plugin_that_is_not_thread_safe_is_never_reentered_through_a_host_callback()
    {
        var log = new ReenteringLog();
        using NativePlugin plugin = TestLoaders.Create(log).Load(TestPaths.TestPlugin("echo"));
        log.Reenter = () => plugin.Invoke("echo", "inner");

        Assert.Equal(string.Empty, plugin.Invoke("log", "call me again"));

        var e = Assert.IsType<PluginException>(log.Error);
        Assert.Equal(PluginErrorCode.NativeReentered, e.Code);
        Assert.Null(log.InnerResult);
        Assert.Contains("invoke('echo') would re-enter plugin 'echo' on the thread where its invoke('log') is still running", e.Message, StringComparison.Ordinal);
        Assert.Contains("does not declare PB_FLAG_THREAD_SAFE", e.Message, StringComparison.Ordinal);
        Assert.StartsWith("PB0412", e.Message, StringComparison.Ordinal);
        Assert.Equal("still fine", plugin.Invoke("echo", "still fine"));
    }

    [Fact]
    public void A_thread_safe_c_plugin_may_be_reentered()
    {
        var log = new ReenteringLog();
        using NativePlugin plugin = TestLoaders.Create(log).Load(TestPaths.TestPlugin("echo-threadsafe"));
        log.Reenter = () => plugin.Invoke("echo", "inner");

        plugin.Invoke("log", "call me again");

        Assert.Null(log.Error);
        Assert.Equal("inner", log.InnerResult);
    }

    [Fact]
    public async Task A_rust_sdk_plugin_that_is_not_thread_safe_gets_PB0412_from_the_host_not_a_deadlock()
    {
        var log = new ReenteringLog();
        using NativePlugin plugin = TestLoaders.Create(log).Load(TestPaths.TestPlugin("rust-misuse"));
        log.Reenter = () => plugin.Invoke("log", "inner");

        Task<string> outer = Task.Run(() => plugin.Invoke("log", "call me again"));

        Assert.True(await Task.WhenAny(outer, Task.Delay(TimeSpan.FromSeconds(60))) == outer, "the re-entered Rust plugin deadlocked");
        Assert.Equal("logged", await outer);
        Assert.Equal(PluginErrorCode.NativeReentered, Assert.IsType<PluginException>(log.Error).Code);
    }

    [Fact]
    public async Task A_thread_safe_rust_sdk_plugin_refuses_reentry_itself_with_PB_ERR_REENTERED()
    {
        var log = new ReenteringLog();
        using NativePlugin plugin = TestLoaders.Create(log).Load(TestPaths.TestPlugin("rust-reenter"));
        log.Reenter = () => plugin.Invoke("log", "inner");

        Task<string> outer = Task.Run(() => plugin.Invoke("log", "call me again"));

        Assert.True(await Task.WhenAny(outer, Task.Delay(TimeSpan.FromSeconds(60))) == outer, "the re-entered Rust plugin deadlocked (Mutex::lock_contended in invoke_thunk)");
        Assert.Equal("logged", await outer);
        var e = Assert.IsType<PluginException>(log.Error);
        Assert.Equal(PluginErrorCode.NativeReentered, e.Code);
        Assert.Contains("PB_ERR_REENTERED (-9): invoke('log') re-entered the plugin on a thread where it is already running", e.Message, StringComparison.Ordinal);
        Assert.Equal("again", plugin.Invoke("echo", "again"));
    }

    [Fact]
    public void Disposing_a_plugin_from_inside_its_own_call_is_refused()
    {
        var log = new ReenteringLog();
        NativePlugin plugin = TestLoaders.Create(log).Load(TestPaths.TestPlugin("echo"));
        log.Reenter = () =>
        {
            plugin.Dispose();
            return "disposed";
        };

        plugin.Invoke("log", "dispose me");

        var e = Assert.IsType<InvalidOperationException>(log.Error);
        Assert.Contains("cannot be disposed from inside its own call", e.Message, StringComparison.Ordinal);
        Assert.False(plugin.IsDisposed);
        Assert.Equal("still here", plugin.Invoke("echo", "still here"));
        plugin.Dispose();
        Assert.True(plugin.IsDisposed);
        Assert.Null(plugin.ShutdownError);
    }

    /// <summary>On the first log line, runs <see cref="Reenter"/> (a call back into the plugin) and keeps its outcome.</summary>
    private sealed class ReenteringLog : IPluginLog
    {
        private int _entered;

        public Func<string>? Reenter { get; set; }

        public Exception? Error { get; private set; }

        public string? InnerResult { get; private set; }

        public void Write(PluginLogLevel level, string message, Exception? exception = null)
        {
            if (Reenter is null || Interlocked.Exchange(ref _entered, 1) != 0)
            {
                return;
            }
            try
            {
                InnerResult = Reenter();
            }
            catch (Exception e)
            {
                Error = e;
            }
        }
    }
}
