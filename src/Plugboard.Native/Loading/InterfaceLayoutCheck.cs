using System.Globalization;
using Plugboard.Native.Internal;

namespace Plugboard.Native.Loading;

/// <summary>
/// Compares the member hashes a plugin's manifest records (<c>native.interfaces</c>, written from the bindings it was
/// compiled with) with the layouts this host declared (<see cref="NativeHostInterfaces.FindLayout"/>), before the
/// library is opened: a plugin built against another layout would call the wrong function or read the wrong struct.
/// The rule is the emitter's: the plugin's members must equal the host's first members, in order (appending keeps an
/// id compatible). Ids the host declares no layout for are not checked.
/// </summary>
internal static class InterfaceLayoutCheck
{
    public static void ThrowIfMismatched(NativeManifest manifest, NativeHostInterfaces interfaces)
    {
        if (Find(manifest.Id, manifest.ManifestPath, manifest.Interfaces, interfaces) is PluginException mismatch)
        {
            throw mismatch;
        }
    }

    /// <summary>The first recorded interface whose layout differs from the host's, as the error the loader raises; null when all match.</summary>
    public static PluginException? Find(string pluginId, string manifestPath, IReadOnlyDictionary<string, IReadOnlyList<ulong>> recordedLayouts, NativeHostInterfaces interfaces)
    {
        foreach ((string id, IReadOnlyList<ulong> recorded) in recordedLayouts.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            NativeInterfaceLayout? host = interfaces.FindLayout(id);
            string? difference = host is null ? null : FirstDifference(host, recorded);
            if (difference is not null)
            {
                int slash = id.LastIndexOf('/');
                string next = int.TryParse(id.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int major)
                    ? $"{id[..slash]}/{(major + 1).ToString(CultureInfo.InvariantCulture)}" : id;
                return new PluginException(PluginErrorCode.NativeInterfaceLayoutMismatch, pluginId, manifestPath,
                    $"The plugin was built against another layout of '{id}' than this host's: {difference} The library was not opened.",
                    $"Rebuild the plugin against the bindings emitted from this host's API (plugboard bindgen) and record their hashes in native.interfaces. A host API may only append members to '{id}'; any other change needs a new interface id ('{next}').");
            }
        }
        return null;
    }

    private static string? FirstDifference(NativeInterfaceLayout host, IReadOnlyList<ulong> recorded)
    {
        for (int i = 0; i < recorded.Count; i++)
        {
            string ordinal = "#" + (i + 1).ToString(CultureInfo.InvariantCulture);
            if (i >= host.MemberHashes.Count)
            {
                return $"the plugin knows {recorded.Count} members and this host has {host.MemberHashes.Count}, so member {ordinal} (hash {Format(recorded[i])}) is unknown here (the plugin was built against a newer host API).";
            }
            if (host.MemberHashes[i] != recorded[i])
            {
                return $"member {ordinal}, {host.MemberNames[i]} (hash {Format(host.MemberHashes[i])}), differs from the plugin's build (hash {Format(recorded[i])}).";
            }
        }
        return null;
    }

    private static string Format(ulong hash) => "0x" + hash.ToString("x16", CultureInfo.InvariantCulture);
}
