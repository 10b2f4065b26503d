using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Plugboard.Native.Calls;
using Plugboard.Native.Internal;

namespace Plugboard.Native;

/// <summary>
/// Calls through a contract the plugin serves (a table from its <c>get_interface</c>, e.g. <c>notebook.processor/1</c>)
/// instead of the string <c>invoke</c>: what a generated proxy (<c>plugboard bindgen --lang csharp-host</c>) calls. The
/// same gate as invoke: serialized and never re-entered unless the plugin is thread-safe, a fresh call token per call
/// (the proxy passes it as the context of host handles and as the sink's context), the output limit, and typed errors.
/// </summary>
public sealed unsafe partial class NativePlugin
{
    /// <summary>The host interfaces this plugin was loaded with: a proxy passes their tables as handles.</summary>
    public NativeHostInterfaces HostInterfaces => _hostContext.Interfaces;

    /// <summary>
    /// Calls one function of a contract the plugin serves. <paramref name="call"/> makes the unmanaged call with the
    /// arguments it reads from <paramref name="arguments"/>, the plugin's <c>plugin_ctx</c> (every contract function's
    /// first argument), this call's token and the sink function (<c>pb_write_fn</c>, whose context is the token). The
    /// token is live only during the call, on this thread; host functions reached through it resolve
    /// <paramref name="callContext"/> with <see cref="NativeCall.TryGetContext"/>. Allocates nothing without output.
    /// <see cref="NativePluginLoaderOptions.InvokeTimeout"/> does not bound contract calls (yet): they run on the caller's thread.
    /// </summary>
    /// <param name="interfaceId">The contract's id, for errors.</param>
    /// <param name="function">The function's name in the bindings (UTF-8, e.g. <c>"process"u8</c>), for errors and the re-entrancy check.</param>
    /// <param name="callContext">Host state reached through the call token during this call; 0 for none.</param>
    /// <param name="arguments">The proxy's arguments, read by <paramref name="call"/>.</param>
    /// <param name="call">(arguments, plugin_ctx, call token, sink function) to status: the unmanaged call itself.</param>
    /// <param name="output">Receives what the plugin writes to the sink; null when the function has no sink.</param>
    /// <exception cref="PluginException">The plugin returned an error status (PB0409, with its <c>set_error</c> text), wrote past the
    /// output limit (PB0417), the call would re-enter a plugin that is not thread-safe (PB0412), or the plugin is faulted (PB0415).</exception>
    /// <exception cref="ObjectDisposedException">The plugin was shut down.</exception>
    // Optimized at once, as the proxy's own call functions are: a host calling a plugin in a loop while other code keeps
    // the runtime compiling never gets this path promoted from tier 0 (about 8 times slower), and nothing here needs
    // the profile. The output path (a GCHandle and a finally) is apart, so the common path has no exception handling.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void CallContract(string interfaceId, ReadOnlySpan<byte> function, nint callContext, void* arguments,
        delegate*<void*, nint, nint, nint, int> call, IBufferWriter<byte>? output)
    {
        if (output is not null)
        {
            CallContractIntoWriter(interfaceId, function, callContext, arguments, call, output, 0, 0);
            return;
        }
        CallContract(interfaceId, function, callContext, arguments, call, 0, 0, 0);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void CallContractIntoWriter(string interfaceId, ReadOnlySpan<byte> function, nint callContext, void* arguments,
        delegate*<void*, nint, nint, nint, int> call, IBufferWriter<byte> output, int hostObjectsStart, int hostObjectsCount)
    {
        GCHandle writer = GCHandle.Alloc(output);
        try
        {
            CallContract(interfaceId, function, callContext, arguments, call, GCHandle.ToIntPtr(writer), hostObjectsStart, hostObjectsCount);
        }
        finally
        {
            writer.Free();
        }
    }

    // The frame is set explicitly: zeroing every local in the prolog as well would zero it twice per call.
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void CallContract(string interfaceId, ReadOnlySpan<byte> function, nint callContext, void* arguments,
        delegate*<void*, nint, nint, nint, int> call, nint writer, int hostObjectsStart, int hostObjectsCount)
    {
        ArgumentNullException.ThrowIfNull(interfaceId);
        fixed (byte* name = function)
        {
            CallFrame frame = default;
            frame.Writer = writer;
            frame.UserContext = callContext;
            frame.HostObjectsStart = hostObjectsStart;
            frame.HostObjectsCount = hostObjectsCount;
            frame.Limit = _maxOutputBytes;
            frame.Operation = name;
            frame.OperationLength = function.Length;
            int status = _serialize ? ContractSerialized(&frame, arguments, call) : ContractConcurrent(&frame, arguments, call);
            if (status < 0 || frame.Refused)
            {
                throw ContractFailed(interfaceId, function, status, &frame);
            }
        }
    }

    /// <summary>
    /// Calls one function of a contract the plugin serves, passing host objects as handles: as
    /// the overload taking a <c>callContext</c>,
    /// and during the call (on this thread only) a host table resolves a handle's context, the call token, to the
    /// object of its type among <paramref name="hostObjects"/> (<see cref="NativeCall.TryGetHostObject"/>). A generated
    /// proxy passes each handle parameter here (at most one per type); the objects are held for the call only.
    /// </summary>
    /// <param name="interfaceId">The contract's id, for errors.</param>
    /// <param name="function">The function's name in the bindings (UTF-8), for errors and the re-entrancy check.</param>
    /// <param name="hostObjects">The host objects the call passes as handles.</param>
    /// <param name="arguments">The proxy's arguments, read by <paramref name="call"/>.</param>
    /// <param name="call">(arguments, plugin_ctx, call token, sink function) to status: the unmanaged call itself.</param>
    /// <param name="output">Receives what the plugin writes to the sink; null when the function has no sink.</param>
    /// <exception cref="PluginException">As the other overload.</exception>
    /// <exception cref="ObjectDisposedException">The plugin was shut down.</exception>
    public void CallContract(string interfaceId, ReadOnlySpan<byte> function, ReadOnlySpan<object> hostObjects, void* arguments,
        delegate*<void*, nint, nint, nint, int> call, IBufferWriter<byte>? output)
    {
        int start = CallHostObjects.Push(hostObjects);
        try
        {
            if (output is null)
            {
                CallContract(interfaceId, function, 0, arguments, call, 0, start, hostObjects.Length);
            }
            else
            {
                CallContractIntoWriter(interfaceId, function, 0, arguments, call, output, start, hostObjects.Length);
            }
        }
        finally
        {
            CallHostObjects.Pop(start);
        }
    }

    // Apart: its lock is a finally the thread-safe path does without.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private int ContractSerialized(CallFrame* frame, void* arguments, delegate*<void*, nint, nint, nint, int> call)
    {
        ThrowIfReentry(frame->Operation, frame->OperationLength);
        lock (_callGate)
        {
            ThrowIfUnusable();
            ThreadCalls* calls = CallFrames.Enter(frame, _number, out _);
            int status = call(arguments, _descriptor.PluginContext, frame->Token, (nint)CallSink.WriteAddress);
            CallFrames.Exit(calls, frame);
            return status;
        }
    }

    // As Call does for invoke: published in this thread's call state, then checked, so Dispose sees it or it sees Dispose.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int ContractConcurrent(CallFrame* frame, void* arguments, delegate*<void*, nint, nint, nint, int> call)
    {
        ThreadCalls* calls = CallFrames.Enter(frame, _number, out bool published);
        if (!published)
        {
            Interlocked.Increment(ref _deepCalls);
        }
        if (Volatile.Read(ref _disposed) != 0 || _fault != null)
        {
            Leave(calls, frame, published);
            ThrowIfUnusable();
        }
        int status = call(arguments, _descriptor.PluginContext, frame->Token, (nint)CallSink.WriteAddress);
        Leave(calls, frame, published);
        return status;
    }

    private PluginException ContractFailed(string interfaceId, ReadOnlySpan<byte> function, int status, CallFrame* frame)
    {
        string message = PendingError.Take(frame->Token, out _) ?? "the plugin gave no message (it did not call set_error).";
        PendingError.Clear();
        string name = Encoding.UTF8.GetString(function);
        if (frame->LimitExceeded)
        {
            return new PluginException(PluginErrorCode.NativeOutputLimitExceeded, Id, LibraryPath,
                $"{interfaceId} {name} of plugin '{Name}' tried to write {frame->Needed} bytes; the limit per call is {_maxOutputBytes} bytes. The sink refused the excess and the plugin returned {NativeStatus.Describe(status)}.",
                "Write less per call, or raise NativePluginLoaderOptions.MaxOutputBytes.");
        }
        return new PluginException(status == NativeStatus.Reentered ? PluginErrorCode.NativeReentered : PluginErrorCode.NativeCallFailed, Id, LibraryPath,
            $"{interfaceId} {name} of plugin '{Name}' returned {NativeStatus.Describe(status)}: {message}",
            "See the plugin's message; the plugin stays loaded and can be called again.");
    }
}
