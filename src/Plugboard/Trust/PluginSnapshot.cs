using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Plugboard.Metadata;

namespace Plugboard.Trust;

/// <summary>One file of a <see cref="PluginSnapshot"/>: its bytes as read once, their SHA-256, and its status when read.</summary>
internal sealed class SnapshotFile
{
    private byte[] _bytes;
    private readonly byte[] _sha256;
    private string? _sha256Text;

    public SnapshotFile(string relativePath, byte[] bytes, FileStatus? status)
    {
        RelativePath = relativePath;
        _bytes = bytes;
        Status = status;
        // One hash for both jobs (the lock file's check and the snapshot's digest), computed as the bytes are taken.
        // SHA-256 runs in the platform's native library (OpenSSL here, 1.35 GB/s with the CPU's SHA instructions), so
        // it costs the same in a host that has just started as later; a managed hash such as XXH128 runs as unoptimized
        // code while the host is loading plugins (the JIT keeps postponing tier-up while it compiles plugin code) and
        // measured 140 us for a 17 KB plugin where SHA-256 took 25 us.
        _sha256 = SHA256.HashData(bytes);
    }

    /// <summary>Path relative to the plugin folder, '/' separated: the lock file's key.</summary>
    public string RelativePath { get; }

    /// <summary>The bytes; released (empty) once the snapshot has been written to its private copy.</summary>
    public byte[] Bytes => _bytes;

    /// <summary>Lower-case hex SHA-256 of the bytes read.</summary>
    public string Sha256 => _sha256Text ??= Convert.ToHexStringLower(_sha256);

    /// <summary>The SHA-256 of the bytes read, 32 bytes.</summary>
    public ReadOnlySpan<byte> Sha256Bytes => _sha256;

    /// <summary>Drops the bytes once they are written to the private copy; the SHA-256 stays answerable.</summary>
    public void ReleaseBytes() => _bytes = [];

    /// <summary>Owner, mode and identity when it was read (Linux); null elsewhere.</summary>
    public FileStatus? Status { get; }
}

/// <summary>
/// Every file of one plugin folder, read once: what the lock file is checked against, what discovery inspects and
/// what the plugin's load context loads. Nothing of a plugin is read from its folder again after the snapshot is
/// taken, so a file swapped a moment later changes nothing that runs. The walk looks at each entry's type before
/// opening it, follows no link that leaves the folder, and caps every size, so one plugin's odd files make a
/// typed problem for that plugin and never a hang or an exception for the catalog.
/// </summary>
internal sealed class PluginSnapshot
{
    /// <summary>Largest single file read from a plugin folder.</summary>
    public const long MaxFileSize = 256L * 1024 * 1024;

    /// <summary>Largest deps.json or runtimeconfig.json: they describe files, a few kilobytes to a few hundred.</summary>
    public const long MaxDescriptorSize = 16L * 1024 * 1024;

    /// <summary>Largest total of a plugin folder.</summary>
    public const long MaxTotalSize = 1024L * 1024 * 1024;

    /// <summary>Most entries (files and folders) in a plugin folder.</summary>
    public const int MaxEntries = 10_000;

    private const int MaxDepth = 32;

    private readonly Dictionary<string, SnapshotFile> _files;

    private PluginSnapshot(string directory, string realDirectory, Dictionary<string, SnapshotFile> files, List<(string Path, FileStatus Status)> folders, List<PluginException> problems)
    {
        Directory = directory;
        RealDirectory = realDirectory;
        _files = files;
        Folders = folders;
        Problems = problems;
        Digest = DigestOf(files);
    }

    /// <summary>The plugin folder as named (full path).</summary>
    public string Directory { get; }

    /// <summary>The plugin folder with every link resolved.</summary>
    public string RealDirectory { get; }

    /// <summary>Relative path → file.</summary>
    public IReadOnlyDictionary<string, SnapshotFile> Files => _files;

    /// <summary>The folder and every sub-folder with their status (Linux), for strict mode.</summary>
    public IReadOnlyList<(string Path, FileStatus Status)> Folders { get; }

    /// <summary>Files that could not be taken into the snapshot; the plugin is refused when not empty.</summary>
    public IReadOnlyList<PluginException> Problems { get; }

    /// <summary>SHA-256 over every file's path and SHA-256, in path order: equal digests mean identical folders.</summary>
    public string Digest { get; }

    private static string DigestOf(Dictionary<string, SnapshotFile> files)
    {
        string[] paths = [.. files.Keys];
        Array.Sort(paths, StringComparer.Ordinal);
        var text = new List<byte>(paths.Length * 96);
        foreach (string path in paths)
        {
            text.AddRange(Encoding.UTF8.GetBytes(path));
            text.Add(0);
            text.AddRange(files[path].Sha256Bytes);
        }
        return Convert.ToHexStringLower(SHA256.HashData(CollectionsMarshal.AsSpan(text)));
    }

    /// <summary>The file at a path relative to the folder ('/' or the platform separator), or null.</summary>
    public SnapshotFile? Find(string relativePath) => _files.GetValueOrDefault(relativePath.Replace('\\', '/'));

    /// <summary>The full path (inside <see cref="Directory"/>) of a file of the snapshot, for messages.</summary>
    public string PathOf(string relativePath) => Path.Combine(Directory, relativePath.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>Reads every file of a plugin folder once.</summary>
    /// <param name="pluginDirectory">The plugin's folder.</param>
    /// <param name="pluginId">The plugin, for errors.</param>
    /// <param name="cancellationToken">Stops between files.</param>
    public static PluginSnapshot Take(string pluginDirectory, string pluginId, CancellationToken cancellationToken = default)
    {
        string directory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(pluginDirectory));
        if (DeployMarker.IsPresent(directory))
        {
            return Refused(directory, DeployMarker.Problem(pluginId, directory));
        }
        string real = RealPath.OfDirectory(directory);
        var files = new Dictionary<string, SnapshotFile>(StringComparer.Ordinal);
        var folders = new List<(string, FileStatus)>();
        var problems = new List<PluginException>();
        long total = 0;
        int entries = 0;
        var pending = new Stack<(string Path, string Relative, int Depth)>([(directory, "", 0)]);
        if (FileStatus.IsSupported && FileStatus.OfEntry(real) is { } rootStatus)
        {
            folders.Add((directory, rootStatus));
        }
        while (pending.Count > 0 && problems.Count == 0)
        {
            (string folder, string relativeFolder, int depth) = pending.Pop();
            IEnumerable<string> children;
            try
            {
                children = System.IO.Directory.EnumerateFileSystemEntries(folder).Order(StringComparer.Ordinal).ToList();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                problems.Add(PluginFileReader.Unreadable(pluginId, folder, ex.Message, ex));
                break;
            }
            foreach (string path in children)
            {
                cancellationToken.ThrowIfCancellationRequested();
                string relative = relativeFolder + Path.GetFileName(path);
                if (++entries > MaxEntries)
                {
                    problems.Add(TooLarge(pluginId, directory, $"The plugin folder has more than {MaxEntries} files and folders."));
                    break;
                }
                try
                {
                    switch (Classify(path, real, pluginId, out string target, out FileStatus? status))
                    {
                        case FileKind.Directory when target == path:
                            if (depth + 1 > MaxDepth)
                            {
                                problems.Add(TooLarge(pluginId, path, $"The plugin folder nests folders deeper than {MaxDepth} levels."));
                                break;
                            }
                            if (status is { } folderStatus)
                            {
                                folders.Add((path, folderStatus));
                            }
                            pending.Push((path, relative + "/", depth + 1));
                            break;
                        case FileKind.Directory:
                            // A link to a folder inside the plugin folder: its files are reached under their own path.
                            break;
                        case FileKind.Regular:
                            byte[] bytes = PluginFileReader.Read(target, LimitFor(relative), pluginId, path, status);
                            total += bytes.Length;
                            if (total > MaxTotalSize)
                            {
                                problems.Add(TooLarge(pluginId, directory, $"The plugin folder holds more than {MaxTotalSize} bytes."));
                                break;
                            }
                            files[relative] = new SnapshotFile(relative, bytes, status);
                            break;
                        case FileKind kind:
                            problems.Add(PluginFileReader.NotARegularFile(pluginId, path, kind));
                            break;
                    }
                }
                catch (PluginException ex)
                {
                    problems.Add(ex);
                }
                if (problems.Count > 0)
                {
                    break;
                }
            }
        }
        if (problems.Count == 0 && DeployMarker.IsPresent(directory))
        {
            // A deploy began while the files were read: what was read may be a mix of two builds.
            problems.Add(DeployMarker.Problem(pluginId, directory));
        }
        return new PluginSnapshot(directory, real, files, folders, problems);
    }

    /// <summary>
    /// A snapshot of bytes another process read and checked: the worker of an out-of-process plugin is given its
    /// host's snapshot and builds this from it, so that it never reads the plugin's folder itself.
    /// </summary>
    /// <param name="directory">The plugin folder the bytes were read from, as the host named it (for messages).</param>
    /// <param name="files">Relative path ('/' separated) and bytes of each file.</param>
    public static PluginSnapshot FromFiles(string directory, IEnumerable<(string RelativePath, byte[] Bytes)> files)
    {
        var taken = new Dictionary<string, SnapshotFile>(StringComparer.Ordinal);
        foreach ((string relativePath, byte[] bytes) in files)
        {
            taken[relativePath] = new SnapshotFile(relativePath, bytes, status: null);
        }
        return new PluginSnapshot(directory, directory, taken, [], []);
    }

    /// <summary>A snapshot of nothing, refused for one problem found before any file was read.</summary>
    private static PluginSnapshot Refused(string directory, PluginException problem) =>
        new(directory, directory, new Dictionary<string, SnapshotFile>(StringComparer.Ordinal), [], [problem]);

    /// <summary>What an entry is, after resolving a link; a link leaving the plugin folder is refused (PB0107).</summary>
    private static FileKind Classify(string path, string realDirectory, string pluginId, out string target, out FileStatus? status)
    {
        target = path;
        if (!FileStatus.IsSupported)
        {
            status = null;
            var info = new FileInfo(path);
            if (info.LinkTarget is not null)
            {
                target = RealPath.Of(path) ?? throw PluginFileReader.Unreadable(pluginId, path, $"It is a broken symbolic link to '{info.LinkTarget}'.", null);
                CheckInside(path, target, realDirectory, pluginId);
            }
            return System.IO.Directory.Exists(target) ? FileKind.Directory : FileKind.Regular;
        }
        status = FileStatus.OfEntry(path) ?? throw PluginFileReader.Unreadable(pluginId, path, "The file does not exist (or disappeared while it was being read).", null);
        if (status.Value.Kind != FileKind.SymbolicLink)
        {
            return status.Value.Kind;
        }
        target = RealPath.Of(path) ?? throw PluginFileReader.Unreadable(pluginId, path, $"It is a broken symbolic link (to '{new FileInfo(path).LinkTarget}').", null);
        CheckInside(path, target, realDirectory, pluginId);
        FileStatus resolved = FileStatus.OfEntry(target) ?? throw PluginFileReader.Unreadable(pluginId, path, "Its link target disappeared.", null);
        status = resolved;
        return resolved.Kind;
    }

    private static void CheckInside(string path, string target, string realDirectory, string pluginId)
    {
        if (!PathContainment.IsUnder(target, realDirectory))
        {
            throw new PluginException(PluginErrorCode.PathEscapesPluginDirectory, pluginId, path,
                $"'{path}' is a symbolic link to '{target}', outside the plugin folder.",
                "Copy the file into the plugin's folder instead of linking to it.");
        }
    }

    private static long LimitFor(string relative)
    {
        if (string.Equals(relative, PluginManifest.FileName, StringComparison.OrdinalIgnoreCase))
        {
            return PluginManifest.MaxFileSize;
        }
        return relative.EndsWith(".deps.json", StringComparison.OrdinalIgnoreCase) || relative.EndsWith(".runtimeconfig.json", StringComparison.OrdinalIgnoreCase)
            || relative.EndsWith(".runtimeconfig.dev.json", StringComparison.OrdinalIgnoreCase)
            ? MaxDescriptorSize : MaxFileSize;
    }

    private static PluginException TooLarge(string pluginId, string path, string cause) =>
        new(PluginErrorCode.PluginFolderTooLarge, pluginId, path, cause,
            "A plugin folder holds one plugin's build or publish output; remove what does not belong to it.");
}
