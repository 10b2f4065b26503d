using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Plugboard.Trust;

/// <summary>
/// The SHA-256 of every file of every plugin in a plugins folder, as recorded when the plugins were vetted. A host
/// whose trust policy names a lock file refuses a plugin whose files changed, appeared or disappeared since.
/// </summary>
public sealed class PluginLockFile
{
    /// <summary>The conventional file name, placed beside (not inside) the plugins folder or anywhere the host chooses.</summary>
    public const string DefaultFileName = "plugboard.lock.json";

    private const int Format = 1;
    private readonly Dictionary<string, IReadOnlyDictionary<string, string>> _plugins;

    private PluginLockFile(Dictionary<string, IReadOnlyDictionary<string, string>> plugins) => _plugins = plugins;

    /// <summary>Plugin folder name → (path relative to the plugin folder, with '/' separators → lower-case hex SHA-256).</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Plugins => _plugins;

    /// <summary>Hashes every file of every plugin folder under <paramref name="pluginsDirectory"/>.</summary>
    /// <param name="pluginsDirectory">The folder holding one sub-folder per plugin.</param>
    /// <returns>The lock.</returns>
    public static PluginLockFile Create(string pluginsDirectory)
    {
        var plugins = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        foreach (string folder in Directory.EnumerateDirectories(pluginsDirectory).Order(StringComparer.Ordinal))
        {
            plugins[Path.GetFileName(folder)] = HashFolder(folder);
        }
        return new PluginLockFile(plugins);
    }

    /// <summary>Reads a lock file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The lock.</returns>
    /// <exception cref="PluginException">The file is missing or not a lock file (<see cref="PluginErrorCode.IntegrityCheckFailed"/>).</exception>
    public static PluginLockFile Load(string path)
    {
        try
        {
            JsonNode root = JsonNode.Parse(File.ReadAllText(path)) ?? throw new JsonException("empty document");
            if (root["format"]?.GetValue<int>() != Format)
            {
                throw new JsonException($"'format' must be {Format}");
            }
            var plugins = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
            foreach ((string folder, JsonNode? files) in root["plugins"]?.AsObject() ?? throw new JsonException("'plugins' is missing"))
            {
                plugins[folder] = files!.AsObject().ToDictionary(f => f.Key, f => f.Value!.GetValue<string>(), StringComparer.Ordinal);
            }
            return new PluginLockFile(plugins);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or InvalidOperationException or FormatException)
        {
            throw new PluginException(PluginErrorCode.IntegrityCheckFailed, Path.GetFileName(path), path,
                $"The lock file cannot be read: {ex.Message}", "Recreate it with 'plugboard lock <plugins folder>' after vetting the plugins.", ex);
        }
    }

    /// <summary>Writes the lock as JSON.</summary>
    /// <param name="path">Where to write it.</param>
    public void Save(string path)
    {
        var plugins = new JsonObject();
        foreach ((string folder, IReadOnlyDictionary<string, string> files) in _plugins.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var entries = new JsonObject();
            foreach ((string file, string hash) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
            {
                entries[file] = hash;
            }
            plugins[folder] = entries;
        }
        var root = new JsonObject { ["format"] = Format, ["plugins"] = plugins };
        File.WriteAllText(path, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    /// <summary>Checks one plugin folder against the lock.</summary>
    /// <param name="pluginDirectory">The plugin's folder; its name is the key in the lock.</param>
    /// <param name="pluginId">The plugin id for error messages.</param>
    /// <returns>Every difference, each a <see cref="PluginErrorCode.IntegrityCheckFailed"/> error naming the file; empty when the folder matches.</returns>
    public IReadOnlyList<PluginException> Verify(string pluginDirectory, string pluginId)
    {
        string folder = Path.GetFileName(Path.TrimEndingDirectorySeparator(pluginDirectory));
        const string Fix = "If the change is intended, vet the plugin and update the lock with 'plugboard lock'; otherwise restore the plugin's files.";
        if (!_plugins.TryGetValue(folder, out IReadOnlyDictionary<string, string>? expected))
        {
            return [new PluginException(PluginErrorCode.IntegrityCheckFailed, pluginId, pluginDirectory,
                $"The lock file does not list the plugin folder '{folder}', so it was never vetted.", Fix)];
        }
        var problems = new List<PluginException>();
        Dictionary<string, string> actual = HashFolder(pluginDirectory);
        foreach ((string file, string hash) in actual)
        {
            if (!expected.TryGetValue(file, out string? locked))
            {
                problems.Add(new PluginException(PluginErrorCode.IntegrityCheckFailed, pluginId, Path.Combine(pluginDirectory, file),
                    $"The file '{file}' is not in the lock file: it was added after the plugin was vetted.", Fix));
            }
            else if (!string.Equals(locked, hash, StringComparison.OrdinalIgnoreCase))
            {
                problems.Add(new PluginException(PluginErrorCode.IntegrityCheckFailed, pluginId, Path.Combine(pluginDirectory, file),
                    $"The file '{file}' changed since the plugin was vetted (SHA-256 {hash[..12]}…, locked {locked[..Math.Min(12, locked.Length)]}…).", Fix));
            }
        }
        foreach (string file in expected.Keys.Where(f => !actual.ContainsKey(f)))
        {
            problems.Add(new PluginException(PluginErrorCode.IntegrityCheckFailed, pluginId, Path.Combine(pluginDirectory, file),
                $"The file '{file}' is in the lock file but missing from the plugin folder.", Fix));
        }
        return problems;
    }

    private static Dictionary<string, string> HashFolder(string folder)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            using FileStream stream = File.OpenRead(file);
            files[Path.GetRelativePath(folder, file).Replace('\\', '/')] = Convert.ToHexStringLower(SHA256.HashData(stream));
        }
        return files;
    }
}
