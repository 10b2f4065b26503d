using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Plugboard.Native.Internal;

/// <summary>A <c>pb_write_fn</c> sink that appends to an <see cref="IBufferWriter{T}"/> reached through a <see cref="GCHandle"/>.</summary>
internal static unsafe class BufferWriterSink
{
    public static delegate* unmanaged[Cdecl]<nint, byte*, nuint, int> WriteAddress => &Write;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Write(nint context, byte* data, nuint length)
    {
        try
        {
            if (context == 0 || (data == null && length != 0) || length > int.MaxValue)
            {
                return NativeStatus.InvalidArgument;
            }
            if (GCHandle.FromIntPtr(context).Target is not IBufferWriter<byte> writer)
            {
                return NativeStatus.InvalidArgument;
            }
            writer.Write(new ReadOnlySpan<byte>(data, (int)length));
            return NativeStatus.Ok;
        }
        catch (Exception)
        {
            return NativeStatus.Failed;
        }
    }
}
