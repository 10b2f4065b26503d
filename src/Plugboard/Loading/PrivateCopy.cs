using Plugboard.Trust;

namespace Plugboard.Loading;

/// <summary>
/// The on-disk form of a plugin's snapshot that the runtime's resolver and native loader need: a fresh temporary
/// folder created by <see cref="Directory.CreateTempSubdirectory(string?)"/> (mode 0700 on Unix, so no other user
/// can read, replace or add a file), holding exactly the snapshot's bytes.
/// </summary>
internal static class PrivateCopy
{
    /// <summary>Writes the snapshot and releases its bytes from memory; returns the folder.</summary>
    public static string Write(PluginSnapshot snapshot, string pluginId)
    {
        string folder = Directory.CreateTempSubdirectory("plugboard-").FullName;
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
                file.Bytes = [];
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
