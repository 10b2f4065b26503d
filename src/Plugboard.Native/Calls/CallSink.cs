using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Plugboard.Native.Calls;

/// <summary>
/// The host's <c>pb_write_fn</c>. Its <c>out_ctx</c> is the call's token, never a pointer: the write is accepted only
/// as part of the innermost call on the calling thread, within the call's output limit; everything else is refused
/// with a status and touches nothing.
/// </summary>
internal static unsafe class CallSink
{
    public static delegate* unmanaged[Cdecl]<nint, byte*, nuint, int> WriteAddress => &Write;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Write(nint token, byte* data, nuint length)
    {
        CallFrame* frame = CallFrames.Find(token);
        if (frame == null)
        {
            return NativeStatus.NoCall;
        }
        if (data == null && length != 0)
        {
            return NativeStatus.InvalidArgument;
        }
        long total = frame->Needed + (length > int.MaxValue ? (long)int.MaxValue + 1 : (long)length);
        frame->Needed = total;
        if (total > frame->Limit)
        {
            frame->LimitExceeded = true;
            return NativeStatus.BufferTooSmall;
        }
        if (frame->Buffer != null)
        {
            if (total > frame->Capacity)
            {
                return NativeStatus.BufferTooSmall;
            }
            System.Buffer.MemoryCopy(data, frame->Buffer + frame->Length, frame->Capacity - frame->Length, (long)length);
            frame->Length += (int)length;
            return NativeStatus.Ok;
        }
        try
        {
            if (GCHandle.FromIntPtr(frame->Writer).Target is not IBufferWriter<byte> writer)
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
