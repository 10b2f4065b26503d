using System.Runtime.InteropServices;

namespace Plugboard.Trust;

/// <summary>
/// The canonical path of a file or folder, every symbolic link of every component resolved: what allowlists and
/// containment checks compare, because a path string can name a folder through a link that leads anywhere.
/// </summary>
internal static class RealPath
{
    /// <summary>The real path, or null when the path does not exist (or a link in it is broken).</summary>
    public static string? Of(string path)
    {
        string full = Path.GetFullPath(path);
        if (FileStatus.IsSupported)
        {
            nint resolved = LibC.realpath(full, 0);
            if (resolved == 0)
            {
                return null;
            }
            try
            {
                return Marshal.PtrToStringUTF8(resolved);
            }
            finally
            {
                LibC.free(resolved);
            }
        }
        // Elsewhere the BCL resolves the last component only; good enough where no other user shares the machine.
        FileSystemInfo info = Directory.Exists(full) ? new DirectoryInfo(full) : new FileInfo(full);
        if (!info.Exists)
        {
            return null;
        }
        return Path.TrimEndingDirectorySeparator(info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full);
    }

    /// <summary>The real path of an existing folder, or its full path when it cannot be resolved.</summary>
    public static string OfDirectory(string directory) => Of(directory) ?? Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
}
