using System.Text;

namespace Plugboard.Native.Aot;

/// <summary>The host's output sink for one call. The host copies the bytes; nothing changes owner.</summary>
public readonly unsafe ref struct AotPluginOutput
{
    private readonly nint _context;
    private readonly delegate* unmanaged[Cdecl]<nint, byte*, nuint, int> _write;

    internal AotPluginOutput(nint context, delegate* unmanaged[Cdecl]<nint, byte*, nuint, int> write)
    {
        _context = context;
        _write = write;
    }

    /// <summary>Appends bytes.</summary>
    /// <param name="data">The bytes.</param>
    /// <exception cref="AotPluginException">The host's sink refused them.</exception>
    public void Write(ReadOnlySpan<byte> data)
    {
        if (_write == null)
        {
            throw new AotPluginException(AotStatus.InvalidArgument, "The host passed no output sink.");
        }
        fixed (byte* p = data)
        {
            int status = _write(_context, p, (nuint)data.Length);
            if (status < 0)
            {
                throw new AotPluginException(status, "The host's output sink refused the data.");
            }
        }
    }

    /// <summary>Appends text as UTF-8.</summary>
    /// <param name="text">The text.</param>
    public void Write(string text) => Write(Encoding.UTF8.GetBytes(text));
}
