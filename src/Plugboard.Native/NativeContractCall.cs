using System.Runtime.InteropServices;
using Plugboard.Native.Calls;

namespace Plugboard.Native;

/// <summary>
/// One call through a contract the plugin serves, between <see cref="NativePlugin.BeginContract(ref NativeContractCall, ReadOnlySpan{byte}, nint, System.Buffers.IBufferWriter{byte}?)"/>
/// and <see cref="NativePlugin.EndContract"/>: what a generated proxy keeps while it makes the unmanaged call itself
/// (so that call is compiled into the proxy's method, as a direct <c>delegate* unmanaged</c> call is, instead of
/// behind a callback). A default-initialized local of the calling method, never copied and never stored: the plugin's
/// thread state points at it for the call's duration.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct NativeContractCall
{
    internal CallFrame Frame;
    internal ThreadCalls* Calls;
    internal nint Context;
    internal GCHandle Writer;
    internal int HostObjectsStart;
    internal bool HasHostObjects;
    internal bool Published;
    internal bool Locked;

    /// <summary>The sink function (<c>pb_write_fn</c>) a function with output passes beside <see cref="Token"/>.</summary>
    public static delegate* unmanaged[Cdecl]<nint, byte*, nuint, int> Sink => CallSink.WriteAddress;

    /// <summary>This call's token: the sink's context and a handle's context, live only during the call on its thread.</summary>
    public readonly nint Token => Frame.Token;

    /// <summary>The plugin's <c>plugin_ctx</c>, every contract function's first argument.</summary>
    public readonly nint PluginContext => Context;
}
