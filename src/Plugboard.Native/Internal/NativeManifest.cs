namespace Plugboard.Native.Internal;

/// <summary>The parts of a plugin's <c>plugin.json</c> the native host needs.</summary>
/// <param name="Id">The plugin id.</param>
/// <param name="Version">The plugin version text.</param>
/// <param name="Kind">"native", "managed", ...</param>
/// <param name="AbiMajor">The ABI major the library speaks (native only).</param>
/// <param name="Libraries">Library file per runtime identifier (native only).</param>
/// <param name="Unloadable">Whether the manifest allows closing the library (the descriptor must declare it too).</param>
/// <param name="ManifestPath">Where the manifest was read from.</param>
/// <param name="Interfaces">The member hashes of the exported interfaces the plugin was built against (<c>native.interfaces</c>).</param>
internal sealed record NativeManifest(
    string Id,
    string Version,
    string Kind,
    int AbiMajor,
    IReadOnlyDictionary<string, string> Libraries,
    bool Unloadable,
    string ManifestPath,
    IReadOnlyDictionary<string, IReadOnlyList<ulong>> Interfaces);
