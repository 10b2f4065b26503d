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
    /// Generated proxies make the unmanaged call themselves, between <see cref="BeginContract(ref NativeContractCall, ReadOnlySpan{byte}, nint, IBufferWriter{byte}?)"/>
    /// and <see cref="EndContract"/>: the same gate, without the callback.
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
    public void CallContract(string interfaceId, ReadOnlySpan<byte> function, nint callContext, void* arguments,
        delegate*<void*, nint, nint, nint, int> call, IBufferWriter<byte>? output)
    {
        ArgumentNullException.ThrowIfNull(interfaceId);
        fixed (byte* name = function)
        {
            NativeContractCall contract = default;
            BeginContract(ref contract, new ReadOnlySpan<byte>(name, function.Length), callContext, output);
            EndContract(ref contract, interfaceId, call(arguments, contract.Context, contract.Frame.Token, (nint)CallSink.WriteAddress));
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
        ArgumentNullException.ThrowIfNull(interfaceId);
        fixed (byte* name = function)
        {
            NativeContractCall contract = default;
            BeginContract(ref contract, new ReadOnlySpan<byte>(name, function.Length), hostObjects, output);
            EndContract(ref contract, interfaceId, call(arguments, contract.Context, contract.Frame.Token, (nint)CallSink.WriteAddress));
        }
    }

    /// <summary>
    /// Starts one call of a contract function through the plugin's gate (serialized and never re-entered unless the
    /// plugin is thread-safe; a disposed or faulted plugin refused) and gives it a fresh token; the caller then makes the
    /// unmanaged call with <see cref="NativeContractCall.PluginContext"/> (and <see cref="NativeContractCall.Token"/>,
    /// <see cref="NativeContractCall.Sink"/> for handles and output) and passes its status to <see cref="EndContract"/>,
    /// with nothing in between that can throw. Allocates nothing without output.
    /// </summary>
    /// <param name="call">A default-initialized local of the calling method (the thread's call state points at it until <see cref="EndContract"/>).</param>
    /// <param name="function">The function's name in the bindings, UTF-8 that does not move during the call (a <c>u8</c> literal): named by errors and the re-entrancy check.</param>
    /// <param name="callContext">Host state reached through the call token during this call (<see cref="NativeCall.TryGetContext"/>); 0 for none.</param>
    /// <param name="output">Receives what the plugin writes to the sink; null when the function has no sink.</param>
    /// <exception cref="PluginException">The call would re-enter a plugin that is not thread-safe (PB0412), or the plugin is faulted (PB0415).</exception>
    /// <exception cref="ObjectDisposedException">The plugin was shut down.</exception>
    // Optimized at once: a host calling a plugin in a loop while other code keeps the runtime compiling never gets this
    // promoted from tier 0 (several times slower), and nothing here needs the profile.
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public void BeginContract(ref NativeContractCall call, ReadOnlySpan<byte> function, nint callContext, IBufferWriter<byte>? output)
    {
        CallFrame* frame = (CallFrame*)Unsafe.AsPointer(ref call.Frame);
        frame->UserContext = callContext;
        frame->Limit = _maxOutputBytes;
        frame->Operation = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(function));
        frame->OperationLength = function.Length;
        call.Context = _descriptor.PluginContext;
        if (_serialize)
        {
            BeginSerialized(ref call, frame);
        }
        else
        {
            // As Call does for invoke: published in this thread's call state, then checked, so Dispose sees it or it sees Dispose.
            call.Calls = CallFrames.Enter(frame, _number, out call.Published);
            if (!call.Published)
            {
                Interlocked.Increment(ref _deepCalls);
            }
            if (Volatile.Read(ref _disposed) != 0 || _fault != null)
            {
                Leave(call.Calls, frame, call.Published);
                ThrowIfUnusable();
            }
        }
        if (output is not null)
        {
            call.Writer = GCHandle.Alloc(output);
            frame->Writer = GCHandle.ToIntPtr(call.Writer);
        }
    }

    /// <summary>
    /// As <see cref="BeginContract(ref NativeContractCall, ReadOnlySpan{byte}, nint, IBufferWriter{byte}?)"/>, passing host objects as handles: during the call (on this
    /// thread only) a host table resolves a handle's context, the call token, to the object of its type among
    /// <paramref name="hostObjects"/> (<see cref="NativeCall.TryGetHostObject"/>); they are held until <see cref="EndContract"/>.
    /// </summary>
    /// <param name="call">A default-initialized local of the calling method.</param>
    /// <param name="function">The function's name in the bindings, UTF-8 that does not move during the call (a <c>u8</c> literal).</param>
    /// <param name="hostObjects">The host objects the call passes as handles (at most one per type).</param>
    /// <param name="output">Receives what the plugin writes to the sink; null when the function has no sink.</param>
    /// <exception cref="PluginException">As the other overload.</exception>
    /// <exception cref="ObjectDisposedException">The plugin was shut down.</exception>
    public void BeginContract(ref NativeContractCall call, ReadOnlySpan<byte> function, ReadOnlySpan<object> hostObjects, IBufferWriter<byte>? output)
    {
        int start = CallHostObjects.Push(hostObjects);
        call.HasHostObjects = true;
        call.HostObjectsStart = start;
        call.Frame.HostObjectsStart = start;
        call.Frame.HostObjectsCount = hostObjects.Length;
        try
        {
            BeginContract(ref call, function, 0, output);
        }
        catch
        {
            CallHostObjects.Pop(start);
            throw;
        }
    }

    /// <summary>
    /// Ends a call started with <c>BeginContract</c>: its token stops matching, the gate is left (a Dispose waiting for
    /// calls in flight may go on), and a failing status becomes a typed error.
    /// </summary>
    /// <param name="call">The call <c>BeginContract</c> started.</param>
    /// <param name="interfaceId">The contract's id, for errors.</param>
    /// <param name="status">What the plugin's function returned.</param>
    /// <exception cref="PluginException">The plugin returned an error status (PB0409, with its <c>set_error</c> text) or wrote past the output limit (PB0417).</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public void EndContract(ref NativeContractCall call, string interfaceId, int status)
    {
        CallFrame* frame = (CallFrame*)Unsafe.AsPointer(ref call.Frame);
        if (call.Locked)
        {
            EndSerialized(ref call, frame);
        }
        else
        {
            Leave(call.Calls, frame, call.Published);
        }
        if (frame->Writer != 0)
        {
            call.Writer.Free();
        }
        if (call.HasHostObjects)
        {
            CallHostObjects.Pop(call.HostObjectsStart);
        }
        if (status < 0 || frame->Refused)
        {
            throw ContractFailed(interfaceId, new ReadOnlySpan<byte>(frame->Operation, frame->OperationLength), status, frame);
        }
    }

    /// <summary>A plugin that is not thread-safe: the lock is held from begin to end; apart, so the thread-safe path stays small.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void BeginSerialized(ref NativeContractCall call, CallFrame* frame)
    {
        ThrowIfReentry(frame->Operation, frame->OperationLength);
        _callGate.Enter();
        try
        {
            ThrowIfUnusable();
        }
        catch
        {
            _callGate.Exit();
            throw;
        }
        call.Locked = true;
        // Dispose waits for this lock, so the published state need not be counted here.
        call.Calls = CallFrames.Enter(frame, _number, out _);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void EndSerialized(ref NativeContractCall call, CallFrame* frame)
    {
        CallFrames.Exit(call.Calls, frame);
        call.Locked = false;
        _callGate.Exit();
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
