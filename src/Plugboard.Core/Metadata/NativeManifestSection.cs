namespace Plugboard.Metadata;

/// <summary>The native part of a manifest: checked before the library is opened, because opening it already runs its code.</summary>
public sealed class NativeManifestSection
{
    internal NativeManifestSection(int abiMajor, IReadOnlyDictionary<string, string> libraries, bool unloadable)
    {
        AbiMajor = abiMajor;
        Libraries = libraries;
        Unloadable = unloadable;
    }

    /// <summary>The ABI major the library exports (<c>plugboard_entry_v{AbiMajor}</c>).</summary>
    public int AbiMajor { get; }

    /// <summary>Library file, relative to the plugin folder, per runtime identifier (e.g. <c>linux-x64</c>).</summary>
    public IReadOnlyDictionary<string, string> Libraries { get; }

    /// <summary>Whether the library may be closed on unload; false for Rust and NativeAOT libraries.</summary>
    public bool Unloadable { get; }
}
