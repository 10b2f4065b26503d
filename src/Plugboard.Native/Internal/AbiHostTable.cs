using System.Runtime.InteropServices;

namespace Plugboard.Native.Internal;

/// <summary>Mirror of <c>pb_host</c> in native/include/plugboard.h. Field order and types must match exactly.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct AbiHostTable
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
