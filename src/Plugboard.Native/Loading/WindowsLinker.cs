using System.ComponentModel;
using System.Runtime.InteropServices;

namespace Plugboard.Native.Loading;

/// <summary>LoadLibrary/GetProcAddress through <see cref="NativeLibrary"/>, with the Win32 error text.</summary>
internal sealed class WindowsLinker : DynamicLinker
{
    public override nint Open(string pathOrName, out string? error)
    {
        if (NativeLibrary.TryLoad(pathOrName, out nint handle))
        {
            error = null;
            return handle;
        }
        error = new Win32Exception(Marshal.GetLastPInvokeError()).Message;
        return 0;
    }

    public override nint FindSymbol(nint handle, string name, out string? error)
    {
        if (NativeLibrary.TryGetExport(handle, name, out nint address))
        {
            error = null;
            return address;
        }
        error = $"{name}: the procedure was not found in the library.";
        return 0;
    }

    public override bool Close(nint handle, out string? error)
    {
        NativeLibrary.Free(handle);
        error = null;
        return true;
    }
}
