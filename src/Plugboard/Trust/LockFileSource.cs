using Plugboard.Metadata;

namespace Plugboard.Trust;

/// <summary>
/// The lock file a host enforces, re-read whenever it changes on disk (a lock regenerated for a re-vetted plugin
/// takes effect without restarting the host). A failed read (after <see cref="PluginLockFile.Load"/>'s own retries) is
/// reported but never remembered: the next check reads again.
/// </summary>
internal sealed class LockFileSource(string path)
{
    private readonly Lock _gate = new();
    private (string Stamp, PluginLockFile Lock)? _cached;

    /// <summary>The lock as the file holds it now.</summary>
    /// <param name="strict">Strict mode: the lock file must also belong to the host's user or root and be writable by its owner only.</param>
    /// <param name="pluginId">The plugin being checked, for errors.</param>
    public PluginLockFile Current(bool strict, string pluginId)
    {
        string? stamp = Stamp(strict, pluginId);
        lock (_gate)
        {
            if (stamp is not null && _cached is { } cached && cached.Stamp == stamp)
            {
                return cached.Lock;
            }
        }
        PluginLockFile loaded = PluginLockFile.Load(path); // retries a read that raced a writer
        if (stamp is not null && stamp == Stamp(strict, pluginId))
        {
            lock (_gate)
            {
                _cached = (stamp, loaded);
            }
        }
        return loaded;
    }

    /// <summary>Identity and change time of the lock file (null when it cannot be read); refuses a lock file others may change.</summary>
    private string? Stamp(bool strict, string pluginId)
    {
        if (FileStatus.IsSupported)
        {
            string real = RealPath.Of(path) ?? path;
            if (FileStatus.OfEntry(real) is not { } status)
            {
                return null;
            }
            bool othersWrite = (status.Mode & UnixFileMode.OtherWrite) != 0;
            if (othersWrite || (strict && (status.WritableByOthers || !status.OwnedByHostOrRoot)))
            {
                throw new PluginException(PluginErrorCode.UntrustedLockFile, pluginId, path,
                    status.OwnedByHostOrRoot
                        ? $"The lock file can be written by users other than its owner (mode {TrustCheck.Octal(status.Mode)}), so they could vet any file."
                        : $"The lock file belongs to user {status.OwnerId}, not to the host's user ({FileStatus.EffectiveUserId}) or root, so that user could vet any file.",
                    "Make the lock file owned by the host's user (or root) and writable by its owner only (chmod 644).");
            }
            return $"{status.Device}:{status.Inode}:{status.Size}:{status.ModifiedTicks}:{status.ChangedTicks}";
        }
        var info = new FileInfo(path);
        return info.Exists ? $"{info.Length}:{info.LastWriteTimeUtc.Ticks}" : null;
    }
}
