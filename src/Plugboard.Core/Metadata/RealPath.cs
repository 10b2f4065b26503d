using System.Runtime.InteropServices;

namespace Plugboard.Metadata;

/// <summary>
/// The canonical path of a file or folder, every symbolic link of every component resolved: what allowlists and
/// containment checks (<see cref="PathContainment"/>) compare, because a path string can name a folder through a link
/// that leads anywhere. One implementation for the manifest, the native loader and the trust policy.
/// </summary>
internal static partial class RealPath
{
    /// <summary>The real path, or null when the path does not exist (or a link in it is broken).</summary>
    public static string? Of(string path)
    {
        string full = Path.GetFullPath(path);
        if (OperatingSystem.IsLinux())
        {
            nint resolved = realpath(full, 0);
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
                free(resolved);
            }
        }
        return File.Exists(full) || Directory.Exists(full) ? Path.TrimEndingDirectorySeparator(Walk(full)) : null;
    }

    /// <summary>The real path of an existing folder, or its full path when it cannot be resolved.</summary>
    public static string OfDirectory(string directory) => Of(directory) ?? Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));

    /// <summary>The real path of a file or folder that may not exist: the links of the part that exists are resolved.</summary>
    public static string Resolve(string path) => Of(path) ?? Walk(path);

    /// <summary>Every symbolic link resolved component by component, for what realpath(3) cannot resolve (a path not, or not yet, there).</summary>
    private static string Walk(string path)
    {
        string full = Path.GetFullPath(path);
        string root = Path.GetPathRoot(full) ?? string.Empty;
        string current = root;
        // Bounded: a link cycle ends in an error from the file system, a long chain of links here.
        for (int hops = 0; hops < 64; hops++)
        {
            bool resolved = false;
            string rest = full[current.Length..];
            foreach (string part in rest.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
            {
                string next = Path.Combine(current, part);
                FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
                if (info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is FileSystemInfo target)
                {
                    // Continue from the link's target: it may itself lie under another link.
                    string remaining = full[Math.Min(full.Length, next.Length)..].TrimStart(Path.DirectorySeparatorChar);
                    full = remaining.Length == 0 ? Path.GetFullPath(target.FullName) : Path.GetFullPath(Path.Combine(target.FullName, remaining));
                    current = Path.GetPathRoot(full) ?? string.Empty;
                    resolved = true;
                    break;
                }
                current = next;
            }
            if (!resolved)
            {
                return full;
            }
        }
        return full;
    }

    [LibraryImport("libc.so.6", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint realpath(string path, nint resolved);

    [LibraryImport("libc.so.6")]
    private static partial void free(nint pointer);
}
