namespace Plugboard.Native.Tests;

/// <summary>
/// The gate a generated proxy goes through, in the two halves it now calls around its own unmanaged call
/// (<see cref="NativePlugin.BeginContract(ref NativeContractCall, ReadOnlySpan{byte}, nint, System.Buffers.IBufferWriter{byte}?)"/>
/// and <see cref="NativePlugin.EndContract"/>): a plugin that is not thread-safe is never re-entered (PB0412), a failing
/// status is PB0409 naming the contract and function, the gate is left either way, and Dispose waits for a call in flight.
/// </summary>
public sealed unsafe class ContractGateTests
{
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(300);

    [Fact]
    public void A_plugin_that_is_not_thread_safe_is_never_reentered_between_begin_and_end()
    {
        using NativePlugin plugin = TestLoaders.Create().Load(TestPaths.TestPlugin("echo"));

        NativeContractCall outer = default;
        plugin.BeginContract(ref outer, "process"u8, 0, null);
        Assert.NotEqual(0, outer.Token);
        PluginException e = Assert.Throws<PluginException>(() => BeginAndEnd(plugin, "get_name"u8));
        plugin.EndContract(ref outer, "test.contract/1", NativeStatus.Ok);

        Assert.Equal(PluginErrorCode.NativeReentered, e.Code);
        Assert.Contains("process", e.Message, StringComparison.Ordinal);
        // The refused inner call left nothing behind and the outer one left the gate: the next call goes through.
        BeginAndEnd(plugin, "process"u8);
        Assert.Equal("still fine", plugin.Invoke("echo", "still fine"));
    }

    [Fact]
    public void A_failing_status_is_PB0409_naming_contract_and_function_and_the_gate_is_left()
    {
        using NativePlugin plugin = TestLoaders.Create().Load(TestPaths.TestPlugin("echo"));

        NativeContractCall call = default;
        plugin.BeginContract(ref call, "process"u8, 0, null);
        PluginException? e = null;
        try
        {
            plugin.EndContract(ref call, "test.contract/1", NativeStatus.Failed);
        }
        catch (PluginException thrown)
        {
            e = thrown;
        }

        Assert.NotNull(e);

        Assert.Equal(PluginErrorCode.NativeCallFailed, e.Code);
        Assert.Contains("test.contract/1 process of plugin", e.Message, StringComparison.Ordinal);
        BeginAndEnd(plugin, "process"u8);
    }

    [Theory]
    [InlineData("echo")]
    [InlineData("echo-threadsafe")]
    public void Dispose_waits_for_a_contract_call_in_flight_and_later_calls_are_refused(string name)
    {
        NativePlugin plugin = TestLoaders.Create().Load(TestPaths.TestPlugin(name));

        NativeContractCall call = default;
        plugin.BeginContract(ref call, "process"u8, 0, null);
        // A thread, not a task awaited: the call must stay a local of this (synchronous) method until it ends.
        using var disposed = new ManualResetEventSlim();
        var disposer = new Thread(() =>
        {
            plugin.Dispose();
            disposed.Set();
        });
        disposer.Start();
        bool disposedMidCall = disposed.Wait(Settle);
        plugin.EndContract(ref call, "test.contract/1", NativeStatus.Ok);

        Assert.False(disposedMidCall, "Dispose returned while a contract call was still running");
        Assert.True(disposed.Wait(TimeSpan.FromSeconds(30)), "Dispose did not finish once the call ended");
        disposer.Join();
        Assert.Null(plugin.ShutdownError);
        Assert.Throws<ObjectDisposedException>(() => BeginAndEnd(plugin, "process"u8));
    }

    // The call is a local of this method, as in a proxy: a lambda capturing it would move it to the heap.
    private static void BeginAndEnd(NativePlugin plugin, ReadOnlySpan<byte> function)
    {
        NativeContractCall call = default;
        plugin.BeginContract(ref call, function, 0, null);
        plugin.EndContract(ref call, "test.contract/1", NativeStatus.Ok);
    }
}
