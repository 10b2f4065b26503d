namespace Plugboard.Metadata;

/// <summary>
/// Whether a path lies inside a folder: the one rule the manifest's path checks, the native loader, the resolver-path
/// check of deps.json and runtimeconfig files, the load context's private copies and the trust policy share.
/// </summary>
internal static class PathContainment
{
    /// <summary>
    /// True when a path a plugin's own files name (a manifest field, a deps.json asset, a probing path) leaves the
    /// plugin folder before the file system is even asked: it is rooted, names a drive (<c>C:</c>, on every platform,
    /// so a plugin checked on Linux behaves the same on Windows), or walks up with a <c>..</c> segment.
    /// </summary>
    public static bool LeavesFolder(string relativePath) =>
        Path.IsPathRooted(relativePath) || relativePath.Contains(':', StringComparison.Ordinal) || relativePath.Split('/', '\\').Contains("..");

    /// <summary>True when <paramref name="path"/> is <paramref name="directory"/> itself or lies below it (ordinal, after normalizing both).</summary>
    public static bool IsUnder(string path, string directory)
    {
        string root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)) + Path.DirectorySeparatorChar;
        return (Path.GetFullPath(path) + Path.DirectorySeparatorChar).StartsWith(root, StringComparison.Ordinal);
    }

    /// <summary>
    /// <see cref="IsUnder"/> on real paths: symbolic links are resolved in the file and in every folder on the way
    /// (of both paths), so a link to outside anywhere between <paramref name="directory"/> and the file is caught.
    /// </summary>
    public static bool IsReallyUnder(string path, string directory) => IsUnder(RealPath(path), RealPath(directory));

    /// <summary>The path with every symbolic link in it resolved, component by component (like realpath(3)).</summary>
    public static string RealPath(string path)
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
}
