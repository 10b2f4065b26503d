namespace Plugboard.Native.Loading;

/// <summary>
/// The file names a library name stands for on each operating system, in the order they are tried:
/// <c>z</c> means <c>libz.so</c> on Linux, <c>libz.dylib</c> on macOS and <c>z.dll</c> on Windows.
/// Paths (anything with a folder in it) and names that already carry a suffix (<c>libz.so.1</c>) are used as given,
/// as libloading does: expanding <c>/x/foo</c> to <c>/x/libfoo.so</c> would open a different file than the one checked.
/// </summary>
internal static class LibraryNameCandidates
{
    /// <summary>Which naming rules to apply.</summary>
    internal enum Platform
    {
        Linux,
        MacOS,
        Windows,
    }

    /// <summary>The platform this process runs on.</summary>
    public static Platform Current =>
        OperatingSystem.IsWindows() ? Platform.Windows : OperatingSystem.IsMacOS() ? Platform.MacOS : Platform.Linux;

    /// <summary>The names to try, most specific first.</summary>
    /// <param name="name">A path, a file name or a bare library name.</param>
    /// <param name="platform">The naming rules.</param>
    /// <returns>At least one candidate.</returns>
    public static IReadOnlyList<string> For(string name, Platform platform)
    {
        bool hasDirectory = name.Contains('/') || (platform == Platform.Windows && name.Contains('\\'));
        string fileName = name;
        string suffix = platform switch
        {
            Platform.Windows => ".dll",
            Platform.MacOS => ".dylib",
            _ => ".so",
        };
        // A path, or already a library file name: "libz.so", "libz.so.1", "z.dll", "libz.1.dylib".
        if (hasDirectory || HasLibrarySuffix(fileName, platform))
        {
            return [name];
        }
        var candidates = new List<string>(3);
        if (platform != Platform.Windows && !fileName.StartsWith("lib", StringComparison.Ordinal))
        {
            candidates.Add("lib" + fileName + suffix);
        }
        candidates.Add(fileName + suffix);
        candidates.Add(name);
        return candidates;
    }

    private static bool HasLibrarySuffix(string fileName, Platform platform) => platform switch
    {
        Platform.Windows => fileName.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) || fileName.EndsWith(".exe", StringComparison.OrdinalIgnoreCase),
        Platform.MacOS => fileName.EndsWith(".dylib", StringComparison.Ordinal) || fileName.EndsWith(".so", StringComparison.Ordinal),
        _ => fileName.EndsWith(".so", StringComparison.Ordinal) || fileName.Contains(".so.", StringComparison.Ordinal),
    };
}
