using System.Text.Json;
using System.Text.Json.Nodes;
using Plugboard.Internal;
using Plugboard.Metadata;

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
    private const long MaxFileSize = 64L * 1024 * 1024;
    private const int ReadAttempts = 5;
    private static readonly TimeSpan FirstInPlaceWriteWait = TimeSpan.FromMilliseconds(10);
    private readonly Dictionary<string, IReadOnlyDictionary<string, string>> _plugins;

    private PluginLockFile(Dictionary<string, IReadOnlyDictionary<string, string>> plugins) => _plugins = plugins;

    /// <summary>Plugin folder name → (path relative to the plugin folder, with '/' separators → lower-case hex SHA-256).</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Plugins => _plugins;

    /// <summary>Hashes every file of every plugin folder under <paramref name="pluginsDirectory"/>.</summary>
    /// <param name="pluginsDirectory">The folder holding one sub-folder per plugin.</param>
    /// <returns>The lock.</returns>
    /// <exception cref="PluginException">A plugin folder holds a file that cannot be read safely (a named pipe, device or socket, a link leaving the folder, a locked, unreadable or oversized file: PB0107 to PB0114).</exception>
    public static PluginLockFile Create(string pluginsDirectory) => Create(pluginsDirectory, CancellationToken.None);

    /// <summary>Hashes every file of every plugin folder under <paramref name="pluginsDirectory"/>, stopping when cancelled.</summary>
    /// <param name="pluginsDirectory">The folder holding one sub-folder per plugin.</param>
    /// <param name="cancellationToken">Stops between files (the CLI cancels it on SIGTERM and Ctrl+C).</param>
    /// <returns>The lock.</returns>
    /// <exception cref="PluginException">A plugin folder holds a file that cannot be read safely (PB0107 to PB0114).</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public static PluginLockFile Create(string pluginsDirectory, CancellationToken cancellationToken)
    {
        var plugins = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        foreach (string folder in Directory.EnumerateDirectories(pluginsDirectory).Order(StringComparer.Ordinal))
        {
            PluginSnapshot snapshot = PluginSnapshot.Take(folder, Path.GetFileName(folder), cancellationToken);
            if (snapshot.Problems.Count > 0)
            {
                throw snapshot.Problems[0];
            }
            plugins[Path.GetFileName(folder)] = Hashes(snapshot);
        }
        return new PluginLockFile(plugins);
    }

    /// <summary>Reads a lock file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The lock.</returns>
    /// <exception cref="PluginException">The file is missing or not a lock file (<see cref="PluginErrorCode.IntegrityCheckFailed"/>).</exception>
    public static PluginLockFile Load(string path)
    {
        // The one retry rule for every reader of a lock file (the host's re-read, plugboard verify): a read that
        // raced a writer (a new file renamed over it while it was read, or a writer still writing in place) is
        // tried again a few times; a missing or unreadable file is reported at once.
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return Parse(PluginFileReader.Read(RealPath.Of(path) ?? path, MaxFileSize, Path.GetFileName(path), path));
            }
            catch (PluginException ex) when (attempt < ReadAttempts && ex.Code == PluginErrorCode.PluginFileChangedWhileReading)
            {
                // Each file a renaming writer leaves is whole: read the new one now.
            }
            catch (JsonException) when (attempt < ReadAttempts)
            {
                // An in-place writer may be mid-write: wait 10, 20, 40, then 80 ms (150 ms in all) before reporting it.
                Thread.Sleep(FirstInPlaceWriteWait * (1 << (attempt - 1)));
            }
            catch (Exception ex) when (ex is PluginException or JsonException or IOException or UnauthorizedAccessException or InvalidOperationException or FormatException)
            {
                throw new PluginException(PluginErrorCode.IntegrityCheckFailed, Path.GetFileName(path), path,
                    $"The lock file cannot be read: {(ex is PluginException read ? read.Cause : ex.Message)}",
                    "Recreate it with 'plugboard lock <plugins folder>' after vetting the plugins.", ex);
            }
        }
    }

    private static PluginLockFile Parse(byte[] bytes)
    {
        JsonNode root = JsonNode.Parse(bytes, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false }) ?? throw new JsonException("empty document");
        if (root["format"]?.GetValue<int>() != Format)
        {
            throw new FormatException($"'format' must be {Format}");
        }
        var plugins = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        foreach ((string folder, JsonNode? files) in root["plugins"]?.AsObject() ?? throw new FormatException("'plugins' is missing"))
        {
            plugins[folder] = files!.AsObject().ToDictionary(f => f.Key, f => f.Value!.GetValue<string>(), StringComparer.Ordinal);
        }
        return new PluginLockFile(plugins);
    }

    /// <summary>
    /// Writes the lock as JSON so that no reader ever sees a torn file: to a temporary file beside the target,
    /// flushed to disk, then renamed over the target in one step. Killed at any moment, the target is the old
    /// lock or the new one, never a part; a temporary file a killed writer left is removed by the next one.
    /// </summary>
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
        byte[] text = System.Text.Encoding.UTF8.GetBytes(root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full)!;
        string prefix = $".{Path.GetFileName(full)}.";
        RemoveAbandonedTemporaries(directory, prefix);
        // The writer's process id in the name tells a later writer whether this file is someone's work in progress.
        string temporary = Path.Combine(directory, $"{prefix}{OwnerProcess.Current}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(text);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
            FlushFolder(directory);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>
    /// A writer killed between creating its temporary file and renaming it leaves the file behind: the next writer
    /// removes every one whose writer process is gone, and keeps those of writers still running.
    /// </summary>
    private static void RemoveAbandonedTemporaries(string folder, string prefix)
    {
        foreach (string file in Directory.EnumerateFiles(folder, prefix + "*.tmp"))
        {
            if (OwnerProcess.Parse(Path.GetFileName(file)[prefix.Length..], '.') is int writer && OwnerProcess.IsGone(writer))
            {
                try
                {
                    File.Delete(file);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // Another user's leftover, or removed meanwhile: it does not stop this write.
                }
            }
        }
    }

    /// <summary>
    /// Makes the rename itself durable: on Linux a rename lives in the folder, and without flushing the folder a
    /// power loss can bring back the old lock file after a writer reported success.
    /// </summary>
    private static void FlushFolder(string folder)
    {
        if (!FileStatus.IsSupported)
        {
            return;
        }
        const int ReadOnlyDirectoryCloseOnExec = 0x10000 | 0x80000; // O_RDONLY | O_DIRECTORY | O_CLOEXEC
        int fd = LibC.open(folder, ReadOnlyDirectoryCloseOnExec);
        if (fd >= 0)
        {
            using var handle = new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: true);
            _ = LibC.fsync(fd);
        }
    }

    /// <summary>Checks one plugin folder against the lock.</summary>
    /// <param name="pluginDirectory">The plugin's folder; its name is the key in the lock.</param>
    /// <param name="pluginId">The plugin id for error messages.</param>
    /// <returns>Every difference, each a <see cref="PluginErrorCode.IntegrityCheckFailed"/> error naming the file; empty when the folder matches.</returns>
    public IReadOnlyList<PluginException> Verify(string pluginDirectory, string pluginId)
    {
        PluginSnapshot snapshot = PluginSnapshot.Take(pluginDirectory, pluginId);
        return snapshot.Problems.Count > 0 ? snapshot.Problems : Verify(snapshot, pluginId);
    }

    /// <summary>Whether the lock lists the plugin folder named <paramref name="folderName"/> (vetted, whatever its files are now).</summary>
    internal bool Lists(string folderName) => _plugins.ContainsKey(folderName);

    /// <summary>Checks a snapshot of a plugin folder: the very bytes that are then inspected and loaded.</summary>
    internal IReadOnlyList<PluginException> Verify(PluginSnapshot snapshot, string pluginId)
    {
        string pluginDirectory = snapshot.Directory;
        string folder = Path.GetFileName(pluginDirectory);
        const string Fix = "If the change is intended, vet the plugin and update the lock with 'plugboard lock'; otherwise restore the plugin's files.";
        if (!_plugins.TryGetValue(folder, out IReadOnlyDictionary<string, string>? expected))
        {
            return [new PluginException(PluginErrorCode.IntegrityCheckFailed, pluginId, pluginDirectory,
                $"The lock file does not list the plugin folder '{folder}', so it was never vetted.",
                "Vet the plugin and add it to the lock with 'plugboard lock', or let the host run plugins it never vetted out of process (PluginTrustPolicy.IsolateUnlistedPlugins).")];
        }
        var problems = new List<PluginException>();
        Dictionary<string, string> actual = Hashes(snapshot);
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

    private static Dictionary<string, string> Hashes(PluginSnapshot snapshot) =>
        snapshot.Files.Values.ToDictionary(f => f.RelativePath, f => f.Sha256, StringComparer.Ordinal);
}
