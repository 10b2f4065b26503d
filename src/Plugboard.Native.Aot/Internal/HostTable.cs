using System.Runtime.InteropServices;

namespace Plugboard.Native.Aot.Internal;

/// <summary>Mirror of <c>pb_host</c> (native/include/plugboard.h).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct HostTable
{
    public uint Magic;
    public uint StructSize;
    public uint AbiMajor;
    public uint AbiMinor;
    public nint HostContext;
    public delegate* unmanaged[Cdecl]<nint, int, byte*, nuint, int> Log;
    public delegate* unmanaged[Cdecl]<nint, int, byte*, nuint, int> SetError;
    public delegate* unmanaged[Cdecl]<nint, byte*, nuint, nint> GetInterface;
}
