namespace Plugboard.Native.Internal;

/// <summary>Numbers fixed by native/include/plugboard.h.</summary>
internal static class AbiConstants
{
    public const uint HostMagic = 0x54484250;
    public const uint PluginMagic = 0x44504250;
    public const uint AbiMajor = 1;
    public const uint AbiMinor = 1;
    public const string EntryV1 = "plugboard_entry_v1";
}
