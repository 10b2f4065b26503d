using System.Text.Json;

namespace Plugboard.Native.Internal;

/// <summary>
/// Reads the sidecar <c>plugin.json</c> before any library is opened (opening already runs the library's static
/// initializers). Uses <see cref="JsonDocument"/> so it works in NativeAOT hosts without reflection.
/// </summary>
internal static class NativeManifestReader
{
    public const string FileName = "plugin.json";

    public static NativeManifest Read(string pluginDirectory)
    {
        string folderName = Path.GetFileName(Path.TrimEndingDirectorySeparator(pluginDirectory));
        string path = Path.Combine(pluginDirectory, FileName);
        if (!File.Exists(path))
        {
            throw Invalid(folderName, path, $"The plugin folder has no {FileName}.",
                $"Add a {FileName} next to the library with id, version, kind \"native\" and a native section (see docs/native-plugins.md).");
        }
        try
        {
            using var stream = File.OpenRead(path);
            using var document = JsonDocument.Parse(stream, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(folderName, path, "The manifest is not a JSON object.", "Write the manifest as a JSON object.");
            }
            string id = RequiredString(root, "id", folderName, path);
            string version = RequiredString(root, "version", id, path);
            string kind = root.TryGetProperty("kind", out JsonElement kindElement) && kindElement.ValueKind == JsonValueKind.String
                ? kindElement.GetString()!
                : "managed";
            if (!string.Equals(kind, "native", StringComparison.Ordinal))
            {
                return new NativeManifest(id, version, kind, 0, new Dictionary<string, string>(), path);
            }
            if (!root.TryGetProperty("native", out JsonElement native) || native.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(id, path, "The manifest says kind \"native\" but has no \"native\" object.",
                    "Add \"native\": {\"abiMajor\": 1, \"libraries\": {\"linux-x64\": \"libname.so\"}}.");
            }
            if (!native.TryGetProperty("abiMajor", out JsonElement abi) || abi.ValueKind != JsonValueKind.Number || !abi.TryGetInt32(out int abiMajor))
            {
                throw Invalid(id, path, "\"native.abiMajor\" is missing or not an integer.", "Set \"native.abiMajor\" to the ABI major the library exports (1).");
            }
            var libraries = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (native.TryGetProperty("libraries", out JsonElement libs) && libs.ValueKind == JsonValueKind.Object)
            {
                foreach (JsonProperty entry in libs.EnumerateObject())
                {
                    if (entry.Value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(entry.Value.GetString()))
                    {
                        throw Invalid(id, path, $"\"native.libraries.{entry.Name}\" is not a file name.", "Give each runtime identifier the library's file name as a string.");
                    }
                    libraries[entry.Name] = entry.Value.GetString()!;
                }
            }
            if (libraries.Count == 0)
            {
                throw Invalid(id, path, "\"native.libraries\" names no library.", "Map at least one runtime identifier to a library file, e.g. \"linux-x64\": \"libname.so\".");
            }
            return new NativeManifest(id, version, kind, abiMajor, libraries, path);
        }
        catch (JsonException e)
        {
            throw Invalid(folderName, path, $"The manifest is not valid JSON: {e.Message}", "Fix the JSON syntax.", e);
        }
        catch (IOException e)
        {
            throw Invalid(folderName, path, $"The manifest cannot be read: {e.Message}", "Check the file's permissions.", e);
        }
    }

    private static string RequiredString(JsonElement root, string name, string pluginId, string path)
    {
        if (root.TryGetProperty(name, out JsonElement element) && element.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(element.GetString()))
        {
            return element.GetString()!;
        }
        throw Invalid(pluginId, path, $"\"{name}\" is missing or empty.", $"Add a non-empty \"{name}\" string to the manifest.");
    }

    private static PluginException Invalid(string pluginId, string path, string cause, string fix, Exception? inner = null) =>
        new(PluginErrorCode.NativeManifestInvalid, pluginId, path, cause, fix, inner);
}
