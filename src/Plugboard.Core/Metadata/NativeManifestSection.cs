namespace Plugboard.Metadata;

/// <summary>The native part of a manifest: checked before the library is opened, because opening it already runs its code.</summary>
public sealed class NativeManifestSection
{
    internal NativeManifestSection(int abiMajor, IReadOnlyDictionary<string, string> libraries, bool unloadable, IReadOnlyDictionary<string, IReadOnlyList<ulong>> interfaces)
    {
        AbiMajor = abiMajor;
        Libraries = libraries;
        Unloadable = unloadable;
        Interfaces = interfaces;
    }

    /// <summary>The ABI major the library exports (<c>plugboard_entry_v{AbiMajor}</c>).</summary>
    public int AbiMajor { get; }

    /// <summary>Library file, relative to the plugin folder, per runtime identifier (e.g. <c>linux-x64</c>).</summary>
    public IReadOnlyDictionary<string, string> Libraries { get; }

    /// <summary>Whether the library may be closed on unload; false for Rust and NativeAOT libraries.</summary>
    public bool Unloadable { get; }

    /// <summary>
    /// The layouts of the exported interfaces the plugin was built against (<c>native.interfaces</c>, as
    /// <c>plugboard bindgen</c> emits it): per interface id, the member hashes of the bindings it was compiled with, in
    /// table order. The host compares them with its own before the library is opened; empty when the plugin records none.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<ulong>> Interfaces { get; }
}
