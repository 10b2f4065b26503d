using Plugboard.Internal;
using Plugboard.Trust;

namespace Plugboard.Loading;

/// <summary>
/// The on-disk form of a plugin's snapshot that the runtime's resolver and native loader need: a fresh temporary
/// folder created by <see cref="Directory.CreateTempSubdirectory(string?)"/> (mode 0700 on Unix, so no other user
/// can read, replace or add a file), holding exactly the snapshot's bytes.
/// </summary>
internal static class PrivateCopy
{
    private const string Prefix = "plugboard-";
    private static int s_swept;

    /// <summary>Writes the snapshot and releases its bytes from memory; returns the folder.</summary>
    public static string Write(PluginSnapshot snapshot, string pluginId)
    {
        if (Interlocked.Exchange(ref s_swept, 1) == 0)
        {
            RemoveAbandoned(); // once per process, before its first copy: what a crashed host left behind
        }
        // The owner's process id in the name: a later host can tell a crashed host's copy from a running one's.
        string folder = Directory.CreateTempSubdirectory($"{Prefix}{OwnerProcess.Current}-").FullName;
        try
        {
            foreach (SnapshotFile file in snapshot.Files.Values)
            {
                string path = Path.Combine(folder, file.RelativePath.Replace('/', Path.DirectorySeparatorChar));
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                using (var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    stream.Write(file.Bytes);
                }
                file.ReleaseBytes();
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Delete(folder);
            throw new PluginException(PluginErrorCode.LoadFailed, pluginId, folder,
                $"The private copy of the plugin's vetted files cannot be written: {ex.Message}",
                "Check that the temporary folder (TMPDIR) exists, is writable by the host and has free space.", ex);
        }
        return folder;
    }

    /// <summary>
    /// Removes the private copies whose host process is no longer running (a host killed before it could unload
    /// leaves its copies behind); copies of running hosts, and other users' (which this user cannot delete), stay.
    /// </summary>
    /// <returns>How many copies were removed.</returns>
    public static int RemoveAbandoned()
    {
        int removed = 0;
        try
        {
            foreach (string folder in Directory.EnumerateDirectories(Path.GetTempPath(), Prefix + "*"))
            {
                if (OwnerProcess.Parse(Path.GetFileName(folder)[Prefix.Length..], '-') is int owner && OwnerProcess.IsGone(owner))
                {
                    Delete(folder);
                    removed += Directory.Exists(folder) ? 0 : 1;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // An unreadable temporary folder: nothing to sweep, and loading goes on.
        }
        return removed;
    }

    /// <summary>Removes a private copy; best effort (on Windows a mapped library cannot be deleted).</summary>
    public static void Delete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A still-mapped library on Windows; the temporary folder is disposable.
        }
    }
}
