using Plugboard.Metadata;

namespace Plugboard.Native.Internal;

/// <summary>
/// Reads the sidecar <c>plugin.json</c> before any library is opened (opening already runs the library's static
/// initializers). Parsing is the core's <see cref="PluginManifest"/>, so managed and native plugins share one schema
/// and one parser; this only maps its errors to the native codes and picks out what the native host needs.
/// </summary>
internal static class NativeManifestReader
{
    public const string FileName = PluginManifest.FileName;

    public static NativeManifest Read(string pluginDirectory)
    {
        string folderName = Path.GetFileName(Path.TrimEndingDirectorySeparator(pluginDirectory));
        string path = Path.Combine(pluginDirectory, FileName);
        PluginManifest? manifest;
        try
        {
            manifest = PluginManifest.ReadFrom(pluginDirectory);
        }
        catch (PluginException e) when (e.Code == PluginErrorCode.ManifestInvalid)
        {
            throw new PluginException(PluginErrorCode.NativeManifestInvalid, e.PluginId, e.PluginPath, e.Cause, e.Fix, e);
        }
        catch (IOException e)
        {
            throw new PluginException(PluginErrorCode.NativeManifestInvalid, folderName, path, $"The manifest cannot be read: {e.Message}", "Check the file's permissions.", e);
        }
        return From(manifest, folderName, path);
    }

    /// <summary>What the native host needs from a manifest already parsed (by the managed host, from vetted bytes).</summary>
    /// <param name="manifest">The parsed manifest, or null when the folder has none.</param>
    /// <param name="folderName">The plugin folder's name: the id when the manifest names none.</param>
    /// <param name="path">Where the manifest is, for errors.</param>
    public static NativeManifest From(PluginManifest? manifest, string folderName, string path)
    {
        if (manifest is null)
        {
            throw new PluginException(PluginErrorCode.NativeManifestInvalid, folderName, path, $"The plugin folder has no {FileName}.",
                $"Add a {FileName} next to the library with id, version, kind \"native\" and a native section (see docs/native-plugins.md).");
        }
        string id = manifest.Id ?? folderName;
        string version = manifest.Version?.ToNormalizedString() ?? "0.0.0";
        if (manifest.Kind != PluginKind.Native || manifest.Native is null)
        {
            return new NativeManifest(id, version, "managed", 0, new Dictionary<string, string>(), false, path, new Dictionary<string, IReadOnlyList<ulong>>());
        }
        return new NativeManifest(id, version, "native", manifest.Native.AbiMajor, manifest.Native.Libraries, manifest.Native.Unloadable, path, manifest.Native.Interfaces);
    }
}
