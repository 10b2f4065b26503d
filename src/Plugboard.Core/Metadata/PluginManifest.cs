using System.Text.Json;
using System.Text.RegularExpressions;
using NuGet.Versioning;

namespace Plugboard.Metadata;

/// <summary>
/// The optional <c>plugin.json</c> beside a plugin: identity, entry points, plugin dependencies and, for native
/// plugins, the ABI major and the library file per runtime identifier. Parsed strictly: unknown fields,
/// wrong types, absurd sizes and paths leaving the plugin folder are errors, so a typo never goes unnoticed.
/// </summary>
public sealed partial class PluginManifest
{
    /// <summary>The manifest's file name inside a plugin folder.</summary>
    public const string FileName = "plugin.json";

    /// <summary>Largest manifest accepted, in bytes: a manifest is a few hundred bytes, anything near this is not one.</summary>
    public const int MaxFileSize = 64 * 1024;

    private const int MaxListLength = 256;
    private const int MaxStringLength = 1024;

    private static readonly string[] KnownFields = ["$schema", "id", "version", "kind", "assembly", "entryTypes", "dependencies", "native", "description", "isolation"];

    /// <summary>The plugin id, or null to take it from the assembly.</summary>
    public string? Id { get; private init; }

    /// <summary>The plugin version, or null to take it from the assembly.</summary>
    public NuGetVersion? Version { get; private init; }

    /// <summary>Managed (a .NET assembly) or native (a shared library over the C ABI).</summary>
    public PluginKind Kind { get; private init; } = PluginKind.Managed;

    /// <summary>The main assembly's file name relative to the plugin folder, or null for <c>&lt;folder name&gt;.dll</c>.</summary>
    public string? Assembly { get; private init; }

    /// <summary>Full names of the entry types, or empty to find them from metadata.</summary>
    public IReadOnlyList<string> EntryTypes { get; private init; } = [];

    /// <summary>Other plugins this plugin needs, with the versions it accepts.</summary>
    public IReadOnlyList<PluginDependency> Dependencies { get; private init; } = [];

    /// <summary>A one-line description for listings.</summary>
    public string? Description { get; private init; }

    /// <summary>The native section; null for managed plugins.</summary>
    public NativeManifestSection? Native { get; private init; }

    /// <summary>
    /// The isolation the plugin asks for (<c>"isolation": "out-of-process"</c> or <c>"in-process"</c>); null when it
    /// asks for none. A request, not a decision: the host may accept it or overrule it
    /// (<c>PluginIsolationOptions.HonorPluginRequests</c>), and a plugin can never lower the isolation the host chose.
    /// </summary>
    public PluginIsolation? Isolation { get; private init; }

    /// <summary>Reads and validates the manifest of a plugin folder, if it has one.</summary>
    /// <param name="pluginDirectory">The plugin's folder.</param>
    /// <returns>The manifest, or null when the folder has no <c>plugin.json</c>.</returns>
    /// <exception cref="PluginException">The manifest is invalid (<see cref="PluginErrorCode.ManifestInvalid"/>) or names a path outside the folder (<see cref="PluginErrorCode.PathEscapesPluginDirectory"/>).</exception>
    public static PluginManifest? ReadFrom(string pluginDirectory)
    {
        string path = Path.Combine(pluginDirectory, FileName);
        if (!File.Exists(path))
        {
            return null;
        }
        string pluginName = Path.GetFileName(Path.TrimEndingDirectorySeparator(pluginDirectory));
        long length = new FileInfo(path).Length;
        if (length > MaxFileSize)
        {
            throw Invalid(pluginName, path, $"The manifest is {length} bytes; the limit is {MaxFileSize}.");
        }
        byte[] bytes = File.ReadAllBytes(path);
        return Parse(bytes, pluginName, path, pluginDirectory);
    }

    /// <summary>Parses manifest text. Paths are checked against <paramref name="pluginDirectory"/> when given.</summary>
    /// <param name="utf8Json">The manifest bytes.</param>
    /// <param name="pluginName">The plugin's name for error messages.</param>
    /// <param name="path">The manifest's path for error messages.</param>
    /// <param name="pluginDirectory">The plugin folder to keep paths inside, or null to skip the file-system checks.</param>
    /// <returns>The manifest.</returns>
    /// <exception cref="PluginException">The manifest is invalid.</exception>
    internal static PluginManifest Parse(ReadOnlyMemory<byte> utf8Json, string pluginName, string path, string? pluginDirectory = null)
    {
        if (utf8Json.Length > MaxFileSize)
        {
            throw Invalid(pluginName, path, $"The manifest is {utf8Json.Length} bytes; the limit is {MaxFileSize}.");
        }
        // Editors on Windows save UTF-8 with a byte order mark; JSON allows a parser to ignore it.
        if (utf8Json.Span.StartsWith("\uFEFF"u8))
        {
            utf8Json = utf8Json[3..];
        }
        if (!System.Text.Unicode.Utf8.IsValid(utf8Json.Span))
        {
            throw Invalid(pluginName, path, "It is not valid UTF-8 text.");
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json, new JsonDocumentOptions { MaxDepth = 8, CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, AllowDuplicateProperties = false });
        }
        catch (JsonException ex)
        {
            throw Invalid(pluginName, path, $"It is not valid JSON: {ex.Message}", ex);
        }
        using (document)
        {
            var reader = new ManifestReader(pluginName, path, pluginDirectory);
            try
            {
                return reader.Read(document.RootElement);
            }
            catch (Exception ex) when (ex is InvalidOperationException or FormatException or ArgumentException)
            {
                throw Invalid(pluginName, path, $"A value cannot be read: {ex.Message}", ex);
            }
        }
    }

    internal static PluginException Invalid(string pluginName, string path, string cause, Exception? inner = null) =>
        new(PluginErrorCode.ManifestInvalid, pluginName, path, cause,
            "Correct plugin.json (fields: id, version, kind, assembly, entryTypes, dependencies, native, description; see docs/manifest.md) or delete it to use the assembly's own metadata.", inner);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")]
    internal static partial Regex IdPattern();

    private sealed class ManifestReader(string pluginName, string path, string? pluginDirectory)
    {
        public PluginManifest Read(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Fail($"The top level must be a JSON object, not {root.ValueKind}.");
            }
            foreach (JsonProperty property in root.EnumerateObject())
            {
                if (!KnownFields.Contains(property.Name, StringComparer.Ordinal) && !property.Name.StartsWith("x-", StringComparison.Ordinal))
                {
                    throw Fail($"Unknown field '{Truncate(property.Name)}'. Known fields: {string.Join(", ", KnownFields)}; put extensions under a name starting with 'x-'.");
                }
            }

            string? id = OptionalString(root, "id");
            if (id is not null && !IdPattern().IsMatch(id))
            {
                throw Fail($"'id' is '{Truncate(id)}'; an id is 1-128 letters, digits, '.', '-' or '_', starting with a letter or digit.");
            }
            NuGetVersion? version = null;
            string? versionText = OptionalString(root, "version");
            if (versionText is not null && !NuGetVersion.TryParse(versionText, out version))
            {
                throw Fail($"'version' is '{Truncate(versionText)}', which is not a semantic version such as 1.2.0.");
            }
            PluginKind kind = OptionalString(root, "kind") switch
            {
                null or "managed" => PluginKind.Managed,
                "native" => PluginKind.Native,
                string other => throw Fail($"'kind' is '{Truncate(other)}'; it must be 'managed' or 'native'."),
            };
            PluginIsolation? isolation = OptionalString(root, "isolation") switch
            {
                null => null,
                "in-process" => PluginIsolation.InProcess,
                "out-of-process" => PluginIsolation.OutOfProcess,
                string other => throw Fail($"'isolation' is '{Truncate(other)}'; it must be 'in-process' or 'out-of-process'."),
            };
            string? assembly = OptionalString(root, "assembly");
            if (assembly is not null)
            {
                CheckRelativePath("assembly", assembly);
            }
            var manifest = new PluginManifest
            {
                Id = id,
                Version = version,
                Kind = kind,
                Assembly = assembly,
                EntryTypes = StringList(root, "entryTypes"),
                Dependencies = ReadDependencies(root),
                Description = OptionalString(root, "description"),
                Native = ReadNative(root),
                Isolation = isolation,
            };
            if (kind == PluginKind.Native && manifest.Native is null)
            {
                throw Fail("'kind' is 'native' but the 'native' section (abiMajor, libraries) is missing.");
            }
            if (kind == PluginKind.Managed && manifest.Native is not null)
            {
                throw Fail("The manifest has a 'native' section but 'kind' is not 'native'.");
            }
            return manifest;
        }

        private List<PluginDependency> ReadDependencies(JsonElement root)
        {
            if (!root.TryGetProperty("dependencies", out JsonElement element) || element.ValueKind == JsonValueKind.Null)
            {
                return [];
            }
            if (element.ValueKind != JsonValueKind.Object)
            {
                throw Fail("'dependencies' must be an object mapping plugin ids to version ranges, e.g. {\"core-tools\": \"[1.0,2.0)\"}.");
            }
            var dependencies = new List<PluginDependency>();
            foreach (JsonProperty property in element.EnumerateObject())
            {
                if (dependencies.Count == MaxListLength)
                {
                    throw Fail($"'dependencies' has more than {MaxListLength} entries.");
                }
                if (!IdPattern().IsMatch(property.Name))
                {
                    throw Fail($"Dependency id '{Truncate(property.Name)}' is not a valid plugin id.");
                }
                if (property.Value.ValueKind != JsonValueKind.String)
                {
                    throw Fail($"The version range of dependency '{property.Name}' must be a string such as \"[1.0,2.0)\" or \"1.2.0\".");
                }
                string rangeText = property.Value.GetString()!;
                if (!VersionRange.TryParse(rangeText, out VersionRange? range))
                {
                    throw Fail($"Dependency '{property.Name}' has version range '{Truncate(rangeText)}', which NuGet cannot parse (use e.g. \"1.2.0\" for >= 1.2.0 or \"[1.0,2.0)\").");
                }
                dependencies.Add(new PluginDependency(property.Name, range));
            }
            return dependencies;
        }

        private NativeManifestSection? ReadNative(JsonElement root)
        {
            if (!root.TryGetProperty("native", out JsonElement native) || native.ValueKind == JsonValueKind.Null)
            {
                return null;
            }
            if (native.ValueKind != JsonValueKind.Object)
            {
                throw Fail("'native' must be an object with 'abiMajor' and 'libraries'.");
            }
            foreach (JsonProperty property in native.EnumerateObject())
            {
                if (property.Name is not ("abiMajor" or "libraries" or "unloadable" or "interfaces") && !property.Name.StartsWith("x-", StringComparison.Ordinal))
                {
                    throw Fail($"Unknown field 'native.{Truncate(property.Name)}'. Known fields: abiMajor, libraries, unloadable, interfaces.");
                }
            }
            if (!native.TryGetProperty("abiMajor", out JsonElement abi) || abi.ValueKind != JsonValueKind.Number || !abi.TryGetInt32(out int abiMajor) || abiMajor < 1)
            {
                throw Fail("'native.abiMajor' must be a positive integer (the ABI major the library exports, e.g. 1).");
            }
            if (!native.TryGetProperty("libraries", out JsonElement libraries) || libraries.ValueKind != JsonValueKind.Object)
            {
                throw Fail("'native.libraries' must be an object mapping runtime identifiers to library files, e.g. {\"linux-x64\": \"libmyplugin.so\"}.");
            }
            var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (JsonProperty library in libraries.EnumerateObject())
            {
                if (map.Count == MaxListLength)
                {
                    throw Fail($"'native.libraries' has more than {MaxListLength} entries.");
                }
                if (library.Value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(library.Value.GetString()))
                {
                    throw Fail($"'native.libraries.{Truncate(library.Name)}' must be a file name.");
                }
                string file = library.Value.GetString()!;
                CheckRelativePath($"native.libraries.{library.Name}", file);
                map[library.Name] = file;
            }
            bool unloadable = native.TryGetProperty("unloadable", out JsonElement unload) && unload.ValueKind == JsonValueKind.True;
            return new NativeManifestSection(abiMajor, map, unloadable, ReadInterfaceLayouts(native));
        }

        /// <summary><c>native.interfaces</c>: <c>{ "notebook.notes/1": ["0x…", …] }</c>, the member hashes the bindings recorded.</summary>
        private Dictionary<string, IReadOnlyList<ulong>> ReadInterfaceLayouts(JsonElement native)
        {
            var layouts = new Dictionary<string, IReadOnlyList<ulong>>(StringComparer.Ordinal);
            if (!native.TryGetProperty("interfaces", out JsonElement interfaces))
            {
                return layouts;
            }
            if (interfaces.ValueKind != JsonValueKind.Object)
            {
                throw Fail("'native.interfaces' must be an object mapping interface ids to the member hashes of the bindings the plugin was built with, e.g. {\"notebook.notes/1\": [\"0x0123456789abcdef\"]} (plugboard bindgen writes it).");
            }
            foreach (JsonProperty layout in interfaces.EnumerateObject())
            {
                if (layouts.Count == MaxListLength)
                {
                    throw Fail($"'native.interfaces' has more than {MaxListLength} entries.");
                }
                string field = $"native.interfaces.{Truncate(layout.Name)}";
                if (!layout.Name.Contains('/', StringComparison.Ordinal) || layout.Name.Length > MaxStringLength)
                {
                    throw Fail($"'{field}' is not an interface id ('name/major', e.g. 'notebook.notes/1').");
                }
                if (layout.Value.ValueKind != JsonValueKind.Array || layout.Value.GetArrayLength() > MaxListLength)
                {
                    throw Fail($"'{field}' must be an array of at most {MaxListLength} member hashes (\"0x\" and 16 hex digits).");
                }
                var hashes = new List<ulong>();
                foreach (JsonElement hash in layout.Value.EnumerateArray())
                {
                    string? text = hash.ValueKind == JsonValueKind.String ? hash.GetString() : null;
                    if (text is not { Length: 18 } || !text.StartsWith("0x", StringComparison.Ordinal)
                        || !ulong.TryParse(text.AsSpan(2), System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out ulong value))
                    {
                        throw Fail($"'{field}' holds '{Truncate(hash.ToString())}', which is not a member hash (\"0x\" and 16 hex digits, as plugboard bindgen writes them).");
                    }
                    hashes.Add(value);
                }
                layouts[layout.Name] = hashes;
            }
            return layouts;
        }

        private void CheckRelativePath(string field, string value)
        {
            if (value.Length > MaxStringLength)
            {
                throw Fail($"'{field}' is longer than {MaxStringLength} characters.");
            }
            if (PathContainment.LeavesFolder(value))
            {
                throw new PluginException(PluginErrorCode.PathEscapesPluginDirectory, pluginName, path,
                    $"'{field}' is '{Truncate(value)}', which leaves the plugin folder.",
                    "Name a file inside the plugin's own folder with a relative path without '..'.");
            }
            if (pluginDirectory is null)
            {
                return;
            }
            string full = Path.GetFullPath(Path.Combine(pluginDirectory, value));
            // Links are resolved in the file and in every folder on the way: a linked sub-folder leads outside too.
            if (File.Exists(full) && !PathContainment.IsReallyUnder(full, pluginDirectory))
            {
                throw new PluginException(PluginErrorCode.PathEscapesPluginDirectory, pluginName, path,
                    $"'{field}' is '{value}', which resolves through a symbolic link to '{RealPath.Resolve(full)}' outside the plugin folder.",
                    "Copy the file into the plugin's folder instead of linking to it.");
            }
        }

        private string? OptionalString(JsonElement root, string name)
        {
            if (!root.TryGetProperty(name, out JsonElement element) || element.ValueKind == JsonValueKind.Null)
            {
                return null;
            }
            if (element.ValueKind != JsonValueKind.String)
            {
                throw Fail($"'{name}' must be a string, not {element.ValueKind}.");
            }
            string value = element.GetString()!;
            if (value.Length > MaxStringLength)
            {
                throw Fail($"'{name}' is longer than {MaxStringLength} characters.");
            }
            return value;
        }

        private List<string> StringList(JsonElement root, string name)
        {
            if (!root.TryGetProperty(name, out JsonElement element) || element.ValueKind == JsonValueKind.Null)
            {
                return [];
            }
            if (element.ValueKind != JsonValueKind.Array)
            {
                throw Fail($"'{name}' must be an array of strings.");
            }
            if (element.GetArrayLength() > MaxListLength)
            {
                throw Fail($"'{name}' has {element.GetArrayLength()} entries; the limit is {MaxListLength}.");
            }
            var list = new List<string>();
            foreach (JsonElement item in element.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(item.GetString()) || item.GetString()!.Length > MaxStringLength)
                {
                    throw Fail($"Every entry of '{name}' must be a non-empty string of at most {MaxStringLength} characters.");
                }
                list.Add(item.GetString()!);
            }
            return list;
        }

        private PluginException Fail(string cause) => Invalid(pluginName, path, cause);

        private static string Truncate(string text) => text.Length <= 64 ? text : string.Concat(text.AsSpan(0, 64), "…");
    }
}
