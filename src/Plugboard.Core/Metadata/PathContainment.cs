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
    public static bool IsReallyUnder(string path, string directory) => IsUnder(RealPath.Resolve(path), RealPath.Resolve(directory));
}
