using System.Text.Json;

namespace Plugboard.Compatibility;

/// <summary>
/// Shared frameworks (Microsoft.NETCore.App, Microsoft.AspNetCore.App, ...): which ones a plugin needs, from the
/// <c>runtimeconfig.json</c> its build writes beside it, and which ones the host runs, from the runtime's trusted
/// platform list. A plugin cannot bring a framework along: only a host that runs it can load the plugin.
/// </summary>
internal static class SharedFrameworks
{
    /// <summary>The frameworks this process runs (for a console host: Microsoft.NETCore.App alone).</summary>
    public static IReadOnlySet<string> OfThisProcess => FrameworkAssemblies.Frameworks;

    /// <summary>The frameworks a plugin's runtimeconfig names (name and version) beyond Microsoft.NETCore.App alone, or none when it has no readable one.</summary>
    public static IReadOnlyList<(string Name, string? Version)> Required(string mainAssemblyPath)
    {
        string path = Path.ChangeExtension(mainAssemblyPath, ".runtimeconfig.json");
        if (!File.Exists(path))
        {
            return [];
        }
        try
        {
            byte[] bytes = File.ReadAllBytes(path);
            // The common case, read at discovery for every plugin: one framework, the base one every host runs.
            if (bytes.AsSpan().IndexOf("\"frameworks\""u8) < 0 && bytes.AsSpan().IndexOf("\"Microsoft.NETCore.App\""u8) >= 0)
            {
                return [];
            }
            using JsonDocument document = JsonDocument.Parse(bytes, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (!document.RootElement.TryGetProperty("runtimeOptions", out JsonElement options))
            {
                return [];
            }
            var frameworks = new List<(string, string?)>();
            if (options.TryGetProperty("framework", out JsonElement single))
            {
                Add(single, frameworks);
            }
            if (options.TryGetProperty("frameworks", out JsonElement many) && many.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement framework in many.EnumerateArray())
                {
                    Add(framework, frameworks);
                }
            }
            return frameworks;
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            // The runtimeconfig is advice for the muxer, not something Plugboard loads: an unreadable one decides nothing.
            return [];
        }
    }

    /// <summary>The assembly names of a framework installed beside the running one (any version), or null when it is not installed.</summary>
    public static IReadOnlySet<string>? InstalledAssemblies(string framework)
    {
        string? sharedRoot = Path.GetDirectoryName(Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(Path.GetDirectoryName(typeof(object).Assembly.Location) ?? string.Empty)));
        string directory = Path.Combine(sharedRoot ?? string.Empty, framework);
        if (sharedRoot is null || !Directory.Exists(directory))
        {
            return null;
        }
        string? newest = Directory.EnumerateDirectories(directory).Order(StringComparer.Ordinal).LastOrDefault();
        return newest is null ? null
            : Directory.EnumerateFiles(newest, "*.dll").Select(Path.GetFileNameWithoutExtension).OfType<string>().ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    private static void Add(JsonElement framework, List<(string, string?)> frameworks)
    {
        if (framework.ValueKind == JsonValueKind.Object && framework.TryGetProperty("name", out JsonElement name) && name.ValueKind == JsonValueKind.String)
        {
            string? version = framework.TryGetProperty("version", out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            frameworks.Add((name.GetString()!, version));
        }
    }
}
