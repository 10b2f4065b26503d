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

    /// <summary>
    /// The frameworks a plugin needs beyond Microsoft.NETCore.App, with how that is known. The one rule: its
    /// <c>runtimeconfig.json</c> says so when it has one; a plugin without one (a plain class library writes none)
    /// needs each framework installed on this machine, other than the base one, that owns one of the references
    /// nothing else satisfies (<paramref name="unresolvedReferences"/>: not the host's, not this process's
    /// framework's, not in the plugin folder). So a plugin using ASP.NET Core in a console host gets one error naming
    /// the framework, not a "missing file" for each of its assemblies.
    /// </summary>
    public static IReadOnlyList<(string Name, string? Version, string Evidence)> Required(byte[]? runtimeConfig, Func<IReadOnlyList<string>> unresolvedReferences)
    {
        if (runtimeConfig is null)
        {
            IReadOnlyList<string> unresolved = unresolvedReferences();
            return unresolved.Count == 0 ? [] : [.. InstalledNames().Where(f => !string.Equals(f, "Microsoft.NETCore.App", StringComparison.OrdinalIgnoreCase))
                .Select(f => (Name: f, Owned: unresolved.Where(r => InstalledAssemblies(f)?.Contains(r) == true).Order(StringComparer.Ordinal).ToList()))
                .Where(f => f.Owned.Count > 0)
                .Select(f => (f.Name, (string?)null, $"it has no runtimeconfig.json, and its references to {string.Join(", ", f.Owned)} are that framework's"))];
        }
        return [.. FromRuntimeConfig(runtimeConfig).Select(f => (f.Name, f.Version, "its runtimeconfig.json says so"))];
    }

    private static List<(string Name, string? Version)> FromRuntimeConfig(byte[] bytes)
    {
        try
        {
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
        catch (JsonException)
        {
            // The runtimeconfig is advice for the muxer, not something Plugboard loads: an unreadable one decides nothing.
            return [];
        }
    }

    /// <summary>The assembly names of a framework installed beside the running one (any version), or null when it is not installed.</summary>
    public static IReadOnlySet<string>? InstalledAssemblies(string framework)
    {
        string? sharedRoot = SharedRoot;
        string directory = Path.Combine(sharedRoot ?? string.Empty, framework);
        if (sharedRoot is null || !Directory.Exists(directory))
        {
            return null;
        }
        string? newest = Directory.EnumerateDirectories(directory).Order(StringComparer.Ordinal).LastOrDefault();
        return newest is null ? null
            : Directory.EnumerateFiles(newest, "*.dll").Select(Path.GetFileNameWithoutExtension).OfType<string>().ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The <c>shared</c> folder of the running .NET installation (one sub-folder per framework).</summary>
    private static string? SharedRoot => Path.GetDirectoryName(Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(Path.GetDirectoryName(typeof(object).Assembly.Location) ?? string.Empty)));

    private static IEnumerable<string> InstalledNames() =>
        SharedRoot is string root && Directory.Exists(root) ? Directory.EnumerateDirectories(root).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal) : [];

    private static void Add(JsonElement framework, List<(string, string?)> frameworks)
    {
        if (framework.ValueKind == JsonValueKind.Object && framework.TryGetProperty("name", out JsonElement name) && name.ValueKind == JsonValueKind.String)
        {
            string? version = framework.TryGetProperty("version", out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            frameworks.Add((name.GetString()!, version));
        }
    }
}
