namespace Plugboard.Native.Tests;

/// <summary>
/// The call gate of a thread-safe plugin takes no lock and counts no calls on the common path (each thread publishes
/// its own running calls): Dispose must still wait for every call in flight, including one nested deeper than the
/// published calls, and a set_error message is claimed only by the call that gave it.
/// </summary>
public sealed class CallGateTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Dispose_of_a_thread_safe_plugin_waits_for_a_call_in_flight_on_another_thread()
    {
        using var log = new HoldingLog();
        NativePlugin plugin = TestLoaders.Create(log).Load(TestPaths.TestPlugin("echo-threadsafe"));
        Task<string> call = Task.Run(() => plugin.Invoke("log", "hold"));
        Assert.True(log.Entered.Wait(Patience), "the call never reached the host callback");

        Task dispose = Task.Run(plugin.Dispose);

        Assert.False(await Task.WhenAny(dispose, Task.Delay(300)) == dispose, "Dispose ran shutdown while a call was still in flight");
        Assert.False(call.IsCompleted);
        log.Release.Set();
        Assert.True(await Task.WhenAny(dispose, Task.Delay(Patience)) == dispose, "Dispose never returned");
        Assert.True(call.IsCompletedSuccessfully, "Dispose returned before the call in flight did");
        Assert.Equal(string.Empty, await call);
        Assert.Null(plugin.ShutdownError);
        Assert.Throws<ObjectDisposedException>(() => plugin.Invoke("echo", "late"));
    }

    [Fact]
    public async Task Dispose_waits_for_a_call_nested_deeper_than_the_published_calls()
    {
        // 20 nested calls of one thread-safe plugin (through its log callback), then a call of a second one that holds:
        // the second plugin's call is past the published depth and is counted by the plugin instead.
        using var hold = new HoldingLog();
        NativePlugin inner = TestLoaders.Create(hold).Load(TestPaths.TestPlugin("echo-threadsafe"));
        var nesting = new NestingLog(depth: 20, innermost: () => inner.Invoke("log", "hold"));
        using NativePlugin outer = TestLoaders.Create(nesting).Load(TestPaths.TestPlugin("echo-threadsafe"));
        nesting.Plugin = outer;
        Task<string> call = Task.Run(() => outer.Invoke("log", "nest"));
        Assert.True(hold.Entered.Wait(Patience), "the nested call never reached the host callback");

        Task dispose = Task.Run(inner.Dispose);

        Assert.False(await Task.WhenAny(dispose, Task.Delay(300)) == dispose, "Dispose ran shutdown while a deeply nested call was still in flight");
        hold.Release.Set();
        Assert.True(await Task.WhenAny(dispose, Task.Delay(Patience)) == dispose, "Dispose never returned");
        Assert.Equal(string.Empty, await call);
        Assert.Null(nesting.Error);
        Assert.Equal(20, nesting.Reached);
        Assert.Null(inner.ShutdownError);
        Assert.Equal("outer still works", outer.Invoke("echo", "outer still works"));
    }

    [Fact]
    public void A_set_error_message_of_a_call_that_succeeded_is_never_pinned_on_a_later_failure()
    {
        using NativePlugin plugin = TestLoaders.Create().Load(TestPaths.TestPlugin("echo-threadsafe"));

        Assert.Equal("ok", plugin.Invoke("warn", string.Empty));
        var e = Assert.Throws<PluginException>(() => plugin.Invoke("fail-silent", string.Empty));

        Assert.Contains("The plugin gave no message (it did not call set_error).", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("only a warning", e.Message, StringComparison.Ordinal);
        var failed = Assert.Throws<PluginException>(() => plugin.Invoke("fail", string.Empty));
        Assert.Contains("input must not be empty", failed.Message, StringComparison.Ordinal);
    }

    /// <summary>On the log line "hold": says so, then waits until released (a call held inside a host callback).</summary>
    private sealed class HoldingLog : IPluginLog, IDisposable
    {
        public ManualResetEventSlim Entered { get; } = new();

        public ManualResetEventSlim Release { get; } = new();

        public void Write(PluginLogLevel level, string message, Exception? exception = null)
        {
            if (message.EndsWith("hold", StringComparison.Ordinal))
            {
                Entered.Set();
                Release.Wait(Patience);
            }
        }

        public void Dispose()
        {
            Release.Set();
            Entered.Dispose();
            Release.Dispose();
        }
    }

    /// <summary>On each log line "nest": calls the plugin's "log" again until <c>depth</c> calls run, then the innermost action.</summary>
    private sealed class NestingLog(int depth, Func<string> innermost) : IPluginLog
    {
        public NativePlugin? Plugin { get; set; }

        public int Reached { get; private set; }

        public Exception? Error { get; private set; }

        public void Write(PluginLogLevel level, string message, Exception? exception = null)
        {
            if (!message.EndsWith("nest", StringComparison.Ordinal))
            {
                return;
            }
            try
            {
                Reached++;
                _ = Reached < depth ? Plugin!.Invoke("log", "nest") : innermost();
            }
            catch (Exception e)
            {
                Error ??= e;
            }
        }
    }
}
