using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Plugboard.Native.Aot;

/// <summary>
/// A plugin-owned sink for host functions that return text: pass <see cref="Context"/> and <see cref="Write"/> as
/// the <c>(out_ctx, out_write)</c> pair, then read <see cref="ToString"/>. Dispose it to release its handle.
/// </summary>
public sealed unsafe class AotTextSink : IDisposable
{
    private readonly List<byte> _bytes = [];
    private GCHandle _handle;

    /// <summary>Creates an empty sink.</summary>
    public AotTextSink()
    {
        _handle = GCHandle.Alloc(this);
    }

    /// <summary>The sink context pointer.</summary>
    public nint Context => GCHandle.ToIntPtr(_handle);

    /// <summary>The <c>pb_write_fn</c> that appends to a sink.</summary>
    public static delegate* unmanaged[Cdecl]<nint, byte*, nuint, int> Write => &WriteBytes;

    /// <summary>The collected bytes as UTF-8 text.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => Encoding.UTF8.GetString(CollectionsMarshal.AsSpan(_bytes));

    /// <summary>Releases the handle.</summary>
    public void Dispose()
    {
        if (_handle.IsAllocated)
        {
            _handle.Free();
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int WriteBytes(nint context, byte* data, nuint length)
    {
        try
        {
            if (context == 0 || (data == null && length != 0) || GCHandle.FromIntPtr(context).Target is not AotTextSink sink)
            {
                return AotStatus.InvalidArgument;
            }
            sink._bytes.AddRange(new ReadOnlySpan<byte>(data, checked((int)length)));
            return AotStatus.Ok;
        }
        catch (Exception)
        {
            return AotStatus.Failed;
        }
    }
}
