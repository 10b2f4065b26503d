using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Plugboard.Native.Internal;

/// <summary>
/// The functions of the host table. Each is an <see cref="UnmanagedCallersOnlyAttribute"/> static method (its
/// address is stable, nothing to keep alive) and catches everything: an exception must never unwind into native code.
/// </summary>
internal static unsafe class HostCallbacks
{
    public static delegate* unmanaged[Cdecl]<nint, int, byte*, nuint, int> LogAddress => &Log;

    public static delegate* unmanaged[Cdecl]<nint, int, byte*, nuint, int> SetErrorAddress => &SetError;

    public static delegate* unmanaged[Cdecl]<nint, byte*, nuint, nint> GetInterfaceAddress => &GetInterface;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Log(nint hostContext, int level, byte* message, nuint length)
    {
        try
        {
            HostContext? context = HostContext.From(hostContext);
            if (context is null)
            {
                return NativeStatus.InvalidArgument;
            }
            if (!Utf8Text.TryDecode(message, length, out string text))
            {
                return NativeStatus.InvalidUtf8;
            }
            PluginLogLevel logLevel = level is >= 0 and <= 5 ? (PluginLogLevel)level : PluginLogLevel.Information;
            context.Log?.Write(logLevel, $"[{context.PluginId}] {text}");
            return NativeStatus.Ok;
        }
        catch (Exception)
        {
            return NativeStatus.Failed;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int SetError(nint hostContext, int code, byte* message, nuint length)
    {
        try
        {
            if (HostContext.From(hostContext) is null)
            {
                return NativeStatus.InvalidArgument;
            }
            // Lenient on purpose: an error report with a bad byte still says more than none.
            PendingError.Set(code, Utf8Text.DecodeLenient(message, length));
            return NativeStatus.Ok;
        }
        catch (Exception)
        {
            return NativeStatus.Failed;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static nint GetInterface(nint hostContext, byte* id, nuint length)
    {
        try
        {
            HostContext? context = HostContext.From(hostContext);
            if (context is null || !Utf8Text.TryView(id, length, out ReadOnlySpan<byte> idBytes))
            {
                return 0;
            }
            return context.Interfaces.Find(idBytes);
        }
        catch (Exception)
        {
            return 0;
        }
    }
}
