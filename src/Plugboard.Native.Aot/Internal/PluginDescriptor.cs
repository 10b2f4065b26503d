using System.Runtime.InteropServices;

namespace Plugboard.Native.Aot.Internal;

/// <summary>Mirror of <c>pb_plugin</c> (native/include/plugboard.h, ABI 1.0).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct PluginDescriptor
{
    public const uint Magic = 0x44504250;

    public uint MagicValue;
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
    public delegate* unmanaged[Cdecl]<nint, HostTable*, int> Init;
    public delegate* unmanaged[Cdecl]<nint, void> Shutdown;
    public delegate* unmanaged[Cdecl]<nint, byte*, nuint, nint> GetInterface;
    public delegate* unmanaged[Cdecl]<nint, nint, byte*, nuint, byte*, nuint, nint, delegate* unmanaged[Cdecl]<nint, byte*, nuint, int>, int> Invoke;
}
