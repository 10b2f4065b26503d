using System.Runtime.InteropServices;

namespace Plugboard.Trust;

/// <summary>The few glibc entry points trust needs that the BCL does not offer; only called on Linux (<see cref="FileStatus.IsSupported"/>).</summary>
internal static unsafe partial class LibC
{
    private const string Glibc = "libc.so.6";

    [LibraryImport(Glibc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int statx(int dirfd, string path, int flags, uint mask, byte* buffer);

    [LibraryImport(Glibc)]
    internal static partial uint geteuid();

    [LibraryImport(Glibc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int open(string path, int flags);

    [LibraryImport(Glibc, SetLastError = true)]
    internal static partial int flock(int fd, int operation);

    [LibraryImport(Glibc, SetLastError = true)]
    internal static partial int fsync(int fd);
}
