using System.Text.Json;
using Plugboard.Metadata;

namespace Plugboard.Trust;

/// <summary>
/// Every path the runtime's dependency resolver could use for a plugin must stay inside the plugin folder: the
/// assets of its deps.json (runtime, runtimeTargets, native, resources), the libraries' package paths, and the
/// probing paths of its runtimeconfig files. A vetted file inside the folder must never stand in for an outside
/// file that is what actually loads.
/// </summary>
internal static class ResolverPathCheck
{
    private static readonly string[] AssetGroups = ["runtime", "runtimeTargets", "native", "resources"];

    /// <summary>The first path leading out of the folder, as a PB0107 problem; null when every path stays inside.</summary>
    /// <param name="snapshot">The plugin's files.</param>
    /// <param name="mainRelativePath">The main assembly, relative to the folder: its deps.json is the one the resolver reads.</param>
    /// <param name="pluginId">The plugin, for the error.</param>
    public static PluginException? Check(PluginSnapshot snapshot, string mainRelativePath, string pluginId)
    {
        string stem = mainRelativePath[..^Path.GetExtension(mainRelativePath).Length];
        foreach (string descriptor in new[] { stem + ".deps.json", stem + ".runtimeconfig.json", stem + ".runtimeconfig.dev.json" })
        {
            if (snapshot.Find(descriptor) is not SnapshotFile file)
            {
                continue;
            }
            string shown = snapshot.PathOf(descriptor);
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(file.Bytes, new JsonDocumentOptions { MaxDepth = 64, CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            }
            catch (JsonException ex)
            {
                return new PluginException(PluginErrorCode.ManifestInvalid, pluginId, shown, $"The file is not valid JSON: {ex.Message}",
                    "Rebuild the plugin: the SDK writes this file; the runtime cannot resolve dependencies from a broken one.", ex);
            }
            using (document)
            {
                string? escape = descriptor.EndsWith(".deps.json", StringComparison.Ordinal)
                    ? FirstEscape(DepsJsonPaths(document.RootElement), snapshot)
                    : FirstEscape(ProbingPaths(document.RootElement), snapshot);
                if (escape is not null)
                {
                    return new PluginException(PluginErrorCode.PathEscapesPluginDirectory, pluginId, shown,
                        $"{Path.GetFileName(descriptor)} names '{Truncate(escape)}', which leads outside the plugin folder; the runtime would load that file instead of one that was vetted.",
                        "Rebuild the plugin so its deps.json names only files in its own folder (relative paths without '..'), and never edit it by hand.");
                }
            }
        }
        return null;
    }

    private static IEnumerable<string> DepsJsonPaths(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            yield break;
        }
        if (root.TryGetProperty("targets", out JsonElement targets) && targets.ValueKind == JsonValueKind.Object)
        {
            foreach (JsonProperty target in targets.EnumerateObject().Where(t => t.Value.ValueKind == JsonValueKind.Object))
            {
                foreach (JsonProperty library in target.Value.EnumerateObject().Where(l => l.Value.ValueKind == JsonValueKind.Object))
                {
                    foreach (string group in AssetGroups)
                    {
                        if (library.Value.TryGetProperty(group, out JsonElement assets) && assets.ValueKind == JsonValueKind.Object)
                        {
                            foreach (JsonProperty asset in assets.EnumerateObject())
                            {
                                yield return asset.Name;
                            }
                        }
                    }
                }
            }
        }
        // A package library's path is joined to probing folders (the package cache): '..' there walks out of them.
        if (root.TryGetProperty("libraries", out JsonElement libraries) && libraries.ValueKind == JsonValueKind.Object)
        {
            foreach (JsonProperty library in libraries.EnumerateObject().Where(l => l.Value.ValueKind == JsonValueKind.Object))
            {
                foreach (string key in new[] { "path", "hashPath" })
                {
                    if (library.Value.TryGetProperty(key, out JsonElement value) && value.ValueKind == JsonValueKind.String)
                    {
                        yield return value.GetString()!;
                    }
                }
            }
        }
    }

    private static IEnumerable<string> ProbingPaths(JsonElement root)
    {
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("runtimeOptions", out JsonElement options) && options.ValueKind == JsonValueKind.Object
            && options.TryGetProperty("additionalProbingPaths", out JsonElement paths) && paths.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement path in paths.EnumerateArray().Where(p => p.ValueKind == JsonValueKind.String))
            {
                yield return path.GetString()!;
            }
        }
    }

    private static string? FirstEscape(IEnumerable<string> paths, PluginSnapshot snapshot)
    {
        foreach (string path in paths)
        {
            if (path.Length == 0)
            {
                continue;
            }
            if (PathContainment.LeavesFolder(path))
            {
                return path;
            }
            // Lexically inside; a link on the way out was already refused when the snapshot was taken.
            if (!PathContainment.IsUnder(Path.Combine(snapshot.RealDirectory, path), snapshot.RealDirectory))
            {
                return path;
            }
        }
        return null;
    }

    private static string Truncate(string text) => text.Length <= 200 ? text : string.Concat(text.AsSpan(0, 200), "…");
}
