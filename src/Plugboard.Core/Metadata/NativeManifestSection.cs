namespace Plugboard.Metadata;

/// <summary>The native part of a manifest: checked before the library is opened, because opening it already runs its code.</summary>
/// <param name="AbiMajor">The ABI major the library exports (<c>plugboard_entry_v{AbiMajor}</c>).</param>
/// <param name="Libraries">Library file, relative to the plugin folder, per runtime identifier (e.g. <c>linux-x64</c>).</param>
/// <param name="Unloadable">Whether the library may be closed on unload; false for Rust and NativeAOT libraries.</param>
public sealed record NativeManifestSection(int AbiMajor, IReadOnlyDictionary<string, string> Libraries, bool Unloadable);
