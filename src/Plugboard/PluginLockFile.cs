using System.Security.Cryptography;
using System.Text.Json;

namespace Plugboard;

/// <summary>
/// The SHA-256 of every file in a plugins folder, written as <c>plugboard.lock.json</c> when a set of plugins is
/// approved and checked before they are trusted again: a changed, added or removed file is an
/// <see cref="PluginErrorCode.IntegrityCheckFailed"/> error naming the file.
/// </summary>
/// <remarks>
/// Paths are relative to the plugins folder, with <c>/</c> as separator, so a lock file written on one machine checks
/// a copy of the folder on another. The lock file itself is never part of the set, wherever it is.
/// </remarks>
public sealed class PluginLockFile
{
    /// <summary>The lock file's conventional name, in the plugins folder it locks.</summary>
    public const string DefaultFileName = "plugboard.lock.json";

    /// <summary>The hash algorithm, as written in the file.</summary>
    public const string Algorithm = "SHA-256";

    private const int FormatVersion = 1;
    private const long MaxLockFileSize = 16 * 1024 * 1024;

    private PluginLockFile(IReadOnlyDictionary<string, string> files) => Files = files;

    /// <summary>Every locked file: relative path (with <c>/</c>) to its SHA-256 as lowercase hex, sorted by path.</summary>
    public IReadOnlyDictionary<string, string> Files { get; }

    /// <summary>Hashes every file under a plugins folder.</summary>
    /// <param name="pluginsDirectory">The folder holding one sub-folder per plugin.</param>
    /// <param name="lockFilePath">A lock file inside the folder to leave out; the default name is always left out.</param>
    /// <returns>The lock, not yet saved.</returns>
    /// <exception cref="PluginException">The folder does not exist (<see cref="PluginErrorCode.DirectoryNotFound"/>).</exception>
    public static PluginLockFile Create(string pluginsDirectory, string? lockFilePath = null) =>
        new(HashAll(pluginsDirectory, lockFilePath));

    /// <summary>Reads a lock file.</summary>
    /// <param name="path">The lock file.</param>
    /// <returns>The lock.</returns>
    /// <exception cref="PluginException">The file is missing or not a Plugboard lock file (<see cref="PluginErrorCode.IntegrityCheckFailed"/>).</exception>
    public static PluginLockFile Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string name = Path.GetFileName(path);
        if (!File.Exists(path))
        {
            throw new PluginException(PluginErrorCode.IntegrityCheckFailed, name, path, "The lock file does not exist.",
                "Write it with 'plugboard lock <plugins folder>' once the plugins are approved, or point to the right file.");
        }
        if (new FileInfo(path).Length > MaxLockFileSize)
        {
            throw Invalid(name, path, $"The file is larger than {MaxLockFileSize} bytes.");
        }
        try
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path));
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("version", out JsonElement version) || !version.TryGetInt32(out int number) || number != FormatVersion
                || !root.TryGetProperty("algorithm", out JsonElement algorithm) || algorithm.GetString() != Algorithm
                || !root.TryGetProperty("files", out JsonElement files) || files.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(name, path, $"It is not a version {FormatVersion} Plugboard lock file (an object with version {FormatVersion}, algorithm \"{Algorithm}\" and files).");
            }
            var map = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (JsonProperty file in files.EnumerateObject())
            {
                string? hash = file.Value.ValueKind == JsonValueKind.String ? file.Value.GetString() : null;
                if (hash is null || hash.Length != 64 || !hash.All(char.IsAsciiHexDigitLower))
                {
                    throw Invalid(name, path, $"The hash of '{file.Name}' is not 64 lowercase hex digits.");
                }
                map[file.Name] = hash;
            }
            return new PluginLockFile(map);
        }
        catch (JsonException ex)
        {
            throw Invalid(name, path, $"It is not valid JSON: {ex.Message}");
        }
    }

    /// <summary>Writes the lock file (indented JSON, files sorted by path, so it diffs well under version control).</summary>
    /// <param name="path">Where to write it.</param>
    public void Save(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using FileStream stream = File.Create(path);
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        writer.WriteStartObject();
        writer.WriteNumber("version", FormatVersion);
        writer.WriteString("algorithm", Algorithm);
        writer.WriteStartObject("files");
        foreach ((string file, string hash) in Files)
        {
            writer.WriteString(file, hash);
        }
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>Checks a plugins folder against the lock: every changed, added or removed file is one error.</summary>
    /// <param name="pluginsDirectory">The folder the lock was created from, or a copy of it.</param>
    /// <param name="lockFilePath">A lock file inside the folder to leave out; the default name is always left out.</param>
    /// <returns>One <see cref="PluginErrorCode.IntegrityCheckFailed"/> error per differing file, naming the plugin folder and the file; empty when the folder matches.</returns>
    /// <exception cref="PluginException">The folder does not exist (<see cref="PluginErrorCode.DirectoryNotFound"/>).</exception>
    public IReadOnlyList<PluginException> Verify(string pluginsDirectory, string? lockFilePath = null)
    {
        SortedDictionary<string, string> actual = HashAll(pluginsDirectory, lockFilePath);
        var errors = new List<PluginException>();
        const string Relock = "If the change is intended, review it and run 'plugboard lock' again; otherwise restore the plugin from the build that was locked.";
        foreach ((string file, string hash) in actual)
        {
            if (!Files.TryGetValue(file, out string? locked))
            {
                errors.Add(Error(pluginsDirectory, file, "The file is not in the lock file (it was added after locking).", Relock));
            }
            else if (!string.Equals(locked, hash, StringComparison.Ordinal))
            {
                errors.Add(Error(pluginsDirectory, file, $"The file changed since locking: SHA-256 {hash}, locked {locked}.", Relock));
            }
        }
        foreach (string file in Files.Keys.Where(f => !actual.ContainsKey(f)))
        {
            errors.Add(Error(pluginsDirectory, file, "The file is in the lock file but missing (it was removed after locking).", Relock));
        }
        return errors;
    }

    /// <summary>The plugin a locked path belongs to: its first folder, or the path itself for files at the top.</summary>
    /// <param name="relativePath">A path as in <see cref="Files"/>.</param>
    /// <returns>The plugin folder name.</returns>
    public static string PluginOf(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        int slash = relativePath.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? relativePath : relativePath[..slash];
    }

    private static PluginException Error(string root, string file, string cause, string fix) =>
        new(PluginErrorCode.IntegrityCheckFailed, PluginOf(file), Path.Combine(root, file.Replace('/', Path.DirectorySeparatorChar)), cause, fix);

    private static PluginException Invalid(string name, string path, string cause) =>
        new(PluginErrorCode.IntegrityCheckFailed, name, path, cause, "Write the lock file again with 'plugboard lock <plugins folder>'.");

    private static SortedDictionary<string, string> HashAll(string pluginsDirectory, string? lockFilePath)
    {
        ArgumentNullException.ThrowIfNull(pluginsDirectory);
        string root = Path.GetFullPath(pluginsDirectory);
        if (!System.IO.Directory.Exists(root))
        {
            throw new PluginException(PluginErrorCode.DirectoryNotFound, Path.GetFileName(Path.TrimEndingDirectorySeparator(root)), root,
                "The plugins folder does not exist.", "Pass the folder that holds one sub-folder per plugin.");
        }
        string? skip = lockFilePath is null ? null : Path.GetFullPath(lockFilePath);
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (string file in System.IO.Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(root, file).Replace(Path.DirectorySeparatorChar, '/');
            if (relative == DefaultFileName || string.Equals(file, skip, StringComparison.Ordinal))
            {
                continue;
            }
            using FileStream stream = new(file, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
            files[relative] = Convert.ToHexStringLower(SHA256.HashData(stream));
        }
        return files;
    }
}
