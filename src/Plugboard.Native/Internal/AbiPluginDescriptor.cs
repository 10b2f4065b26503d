using System.Runtime.InteropServices;

namespace Plugboard.Native.Internal;

/// <summary>Mirror of <c>pb_plugin</c> in native/include/plugboard.h (ABI 1.0). Field order and types must match exactly.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct AbiPluginDescriptor
{
    public uint Magic;
    public uint StructSize;
    public uint AbiMajor;
    public uint AbiMinor;
    public byte* Id;
    public nuint IdLength;
    public byte* Name;
    public nuint NameLength;
    public byte* Version;
    public nuint VersionLength;
    public ulong Flags;
    public nint PluginContext;
    public delegate* unmanaged[Cdecl]<nint, AbiHostTable*, int> Init;
    public delegate* unmanaged[Cdecl]<nint, void> Shutdown;
    public delegate* unmanaged[Cdecl]<nint, byte*, nuint, nint> GetInterface;
    public delegate* unmanaged[Cdecl]<nint, nint, byte*, nuint, byte*, nuint, nint, delegate* unmanaged[Cdecl]<nint, byte*, nuint, int>, int> Invoke;
}
