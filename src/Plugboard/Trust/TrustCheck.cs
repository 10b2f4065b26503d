using Plugboard.Metadata;

namespace Plugboard.Trust;

/// <summary>
/// Applies a <see cref="PluginTrustPolicy"/> to a plugin: where its folder really is (before anything of it is
/// read), then who owns and may write its files and folders and whether their bytes match the lock file (on the
/// snapshot that is then inspected and loaded).
/// </summary>
internal sealed class TrustCheck(PluginTrustPolicy policy)
{
    private readonly LockFileSource? _lock = policy.LockFilePath is string path ? new LockFileSource(path) : null;

    /// <summary>The allowlist, compared on real paths: a link inside an allowed folder leading elsewhere is outside it.</summary>
    public IReadOnlyList<PluginException> CheckLocation(string pluginDirectory, string pluginId)
    {
        if (policy.AllowedDirectories.Count == 0)
        {
            return [];
        }
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(pluginDirectory));
        string real = RealPath.OfDirectory(full);
        if (AllowedRootOf(real) is null)
        {
            string really = real == full ? string.Empty : $" Its real path is '{real}': a symbolic link leads there.";
            return [new PluginException(PluginErrorCode.UntrustedLocation, pluginId, full,
                $"The plugin folder is not under an allowed folder ({string.Join(", ", policy.AllowedDirectories)}).{really}",
                "Install the plugin under an allowed folder, or add its folder to the trust policy's AllowedDirectories.")];
        }
        return [];
    }

    /// <summary>Strict mode's ownership and permission rules and the lock file, on the files as read into the snapshot.</summary>
    public IReadOnlyList<PluginException> CheckFiles(PluginSnapshot snapshot, string pluginId) => CheckFiles(snapshot, pluginId, out _);

    /// <summary>
    /// Strict mode's ownership and permission rules and the lock file, on the files as read into the snapshot;
    /// <paramref name="unvetted"/> says that the plugin may run only out of process
    /// (<see cref="PluginTrustPolicy.IsolateUnlistedPlugins"/> and a folder the lock does not list, or no lock at all).
    /// </summary>
    public IReadOnlyList<PluginException> CheckFiles(PluginSnapshot snapshot, string pluginId, out bool unvetted)
    {
        var problems = new List<PluginException>();
        unvetted = policy.IsolateUnlistedPlugins && _lock is null;
        if (policy.Strict && !OperatingSystem.IsWindows())
        {
            if (FileStatus.IsSupported)
            {
                CheckStrict(snapshot, pluginId, problems);
            }
            else
            {
                CheckModes(snapshot, pluginId, problems);
            }
        }
        if (_lock is not null)
        {
            try
            {
                PluginLockFile locked = _lock.Current(policy.Strict, pluginId);
                if (policy.IsolateUnlistedPlugins && !locked.Lists(Path.GetFileName(snapshot.Directory)))
                {
                    unvetted = true;
                }
                else
                {
                    problems.AddRange(locked.Verify(snapshot, pluginId));
                }
            }
            catch (PluginException ex)
            {
                problems.Add(ex);
            }
        }
        return problems;
    }

    /// <summary>Where owners cannot be read (macOS, BSD), the permission bits are what can be checked.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void CheckModes(PluginSnapshot snapshot, string pluginId, List<PluginException> problems)
    {
        foreach (string path in snapshot.Files.Keys.Select(snapshot.PathOf).Prepend(snapshot.Directory))
        {
            UnixFileMode mode = File.GetUnixFileMode(path);
            if ((mode & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0)
            {
                problems.Add(Writable(pluginId, path, mode));
            }
        }
    }

    private void CheckStrict(PluginSnapshot snapshot, string pluginId, List<PluginException> problems)
    {
        IEnumerable<(string Path, FileStatus Status)> entries = snapshot.Folders
            .Concat(snapshot.Files.Values.Where(f => f.Status is not null).Select(f => (snapshot.PathOf(f.RelativePath), f.Status!.Value)));
        foreach ((string path, FileStatus status) in entries)
        {
            if (!status.OwnedByHostOrRoot)
            {
                problems.Add(new PluginException(PluginErrorCode.UntrustedOwner, pluginId, path,
                    $"'{path}' belongs to user {status.OwnerId}, not to the host's user ({FileStatus.EffectiveUserId}) or root, so that user could plant code in the host.",
                    "Install plugins as the host's user (or root): chown them, or copy them instead of using another user's files."));
            }
            else if (status.WritableByOthers)
            {
                problems.Add(Writable(pluginId, path, status.Mode));
            }
        }
        // The folders above: whoever may write them can rename the plugin folder away and put another in its place.
        string? root = AllowedRootOf(snapshot.RealDirectory);
        string? parent = Path.GetDirectoryName(snapshot.RealDirectory);
        while (parent is not null)
        {
            if (FileStatus.OfEntry(parent) is { } status && (!status.OwnedByHostOrRoot || status.WritableByOthers))
            {
                problems.Add(new PluginException(PluginErrorCode.UntrustedParentFolder, pluginId, parent,
                    $"The folder '{parent}' above the plugin folder {(status.OwnedByHostOrRoot ? $"can be written by users other than its owner (mode {Octal(status.Mode)})" : $"belongs to user {status.OwnerId}")}, so they could replace the plugin folder.",
                    "Make every folder from the allowed plugins folder down owned by the host's user (or root) and writable by its owner only (chmod go-w)."));
                break;
            }
            if (root is null || string.Equals(parent, root, StringComparison.Ordinal))
            {
                break;
            }
            parent = Path.GetDirectoryName(parent);
        }
    }

    private string? AllowedRootOf(string realDirectory) => policy.AllowedDirectories
        .Select(RealPath.OfDirectory)
        .FirstOrDefault(a => PathContainment.IsUnder(realDirectory, a));

    private static PluginException Writable(string pluginId, string path, UnixFileMode mode) =>
        new(PluginErrorCode.UntrustedLocation, pluginId, path,
            $"'{path}' can be written by users other than its owner (mode {Octal(mode)}), so anyone in that group could plant code in the host.",
            "Make plugin folders and files writable by their owner only (chmod go-w), and copy files instead of linking them.");

    internal static string Octal(UnixFileMode mode) => Convert.ToString((int)mode & 0xFFF, 8);
}
