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
            frame->Refused = true;
            return NativeStatus.BufferTooSmall;
        }
        if (frame->Buffer == null)
        {
            return WriteToWriter(frame, data, (int)length);
        }
        if (total > frame->Capacity)
        {
            frame->Refused = true;
            return NativeStatus.BufferTooSmall;
        }
        System.Buffer.MemoryCopy(data, frame->Buffer + frame->Length, frame->Capacity - frame->Length, (long)length);
        frame->Length += (int)length;
        return NativeStatus.Ok;
    }

    /// <summary>The buffer-writer path, apart so that the span path carries no exception handling.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int WriteToWriter(CallFrame* frame, byte* data, int length)
    {
        try
        {
            if (GCHandle.FromIntPtr(frame->Writer).Target is not IBufferWriter<byte> writer)
            {
                frame->Refused = true;
                return NativeStatus.InvalidArgument;
            }
            writer.Write(new ReadOnlySpan<byte>(data, length));
            return NativeStatus.Ok;
        }
        catch (Exception)
        {
            frame->Refused = true;
            return NativeStatus.Failed;
        }
    }
}
