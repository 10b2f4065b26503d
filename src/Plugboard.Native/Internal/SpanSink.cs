using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Plugboard.Native.Internal;

/// <summary>
/// A <c>pb_write_fn</c> sink over a caller's fixed buffer. Lives on the caller's stack for one call, so the
/// common invoke path allocates nothing. Overflow is remembered (with the size needed) instead of truncating.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct SpanSink
{
    public byte* Buffer;
    public int Capacity;
    public int Length;
    public long Needed;

    public static delegate* unmanaged[Cdecl]<nint, byte*, nuint, int> WriteAddress => &Write;

    public readonly bool Overflowed => Needed > Capacity;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Write(nint context, byte* data, nuint length)
    {
        if (context == 0 || (data == null && length != 0))
        {
            return NativeStatus.InvalidArgument;
        }
        var sink = (SpanSink*)context;
        sink->Needed += (long)length;
        if (sink->Needed > sink->Capacity)
        {
            return NativeStatus.BufferTooSmall;
        }
        System.Buffer.MemoryCopy(data, sink->Buffer + sink->Length, sink->Capacity - sink->Length, (long)length);
        sink->Length += (int)length;
        return NativeStatus.Ok;
    }
}
