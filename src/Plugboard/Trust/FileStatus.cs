using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Plugboard.Trust;

/// <summary>What a directory entry is, from <c>lstat</c>/<c>fstat</c>: only regular files are ever opened for reading.</summary>
internal enum FileKind
{
    /// <summary>An ordinary file.</summary>
    Regular,

    /// <summary>A folder.</summary>
    Directory,

    /// <summary>A symbolic link (from <c>lstat</c>, which does not follow it).</summary>
    SymbolicLink,

    /// <summary>A named pipe: opening it for reading blocks until a writer comes.</summary>
    Fifo,

    /// <summary>A character device such as <c>/dev/zero</c>: endless or blocking reads.</summary>
    CharacterDevice,

    /// <summary>A block device.</summary>
    BlockDevice,

    /// <summary>A Unix domain socket.</summary>
    Socket,

    /// <summary>Anything else.</summary>
    Other,
}

/// <summary>
/// The owner, type, permissions and identity of a file, which the BCL does not expose (it has no file type and no
/// owner). Read on Linux with <c>statx</c>, whose result layout is the same on every architecture; elsewhere
/// <see cref="IsSupported"/> is false and callers fall back to what the BCL offers.
/// </summary>
internal readonly record struct FileStatus(FileKind Kind, uint OwnerId, UnixFileMode Mode, ulong Device, ulong Inode, long Size, long ModifiedTicks, long ChangedTicks)
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxBasicStats = 0x7ff;
    private const int StatxSize = 256;

    /// <summary>True where file types and owners can be read (Linux).</summary>
    public static bool IsSupported => OperatingSystem.IsLinux();

    /// <summary>The effective user id of this process, whose files strict mode trusts (with root's).</summary>
    public static uint EffectiveUserId => IsSupported ? LibC.geteuid() : 0;

    /// <summary>Neither group nor others may write it.</summary>
    public bool WritableByOthers => (Mode & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0;

    /// <summary>The sticky bit: in such a folder only an entry's owner may rename or delete it.</summary>
    public bool Sticky => (Mode & UnixFileMode.StickyBit) != 0;

    /// <summary>Owned by this process's user or by root.</summary>
    public bool OwnedByHostOrRoot => OwnerId == 0 || OwnerId == EffectiveUserId;

    /// <summary>The status of the entry itself (a link is not followed); null when nothing is there.</summary>
    public static unsafe FileStatus? OfEntry(string path)
    {
        byte* buffer = stackalloc byte[StatxSize];
        if (LibC.statx(AtFdCwd, path, AtSymlinkNoFollow, StatxBasicStats, buffer) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            return errno is 2 or 20 ? null : throw new IOException($"Cannot read the status of '{path}' (errno {errno}).");
        }
        return Decode(buffer);
    }

    /// <summary>The status of an open file.</summary>
    public static unsafe FileStatus Of(SafeFileHandle handle)
    {
        byte* buffer = stackalloc byte[StatxSize];
        bool added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            if (LibC.statx((int)handle.DangerousGetHandle(), string.Empty, AtEmptyPath, StatxBasicStats, buffer) != 0)
            {
                throw new IOException($"Cannot read the status of an open file (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
        return Decode(buffer);
    }

    private static unsafe FileStatus Decode(byte* statx)
    {
        // struct statx: stx_uid at 20, stx_mode (u16) at 28, stx_ino at 32, stx_size at 40, stx_ctime at 96,
        // stx_mtime at 112 (each a statx_timestamp: s64 seconds, u32 nanoseconds), stx_dev_major/minor at 136/140.
        uint uid = *(uint*)(statx + 20);
        ushort mode = *(ushort*)(statx + 28);
        ulong inode = *(ulong*)(statx + 32);
        long size = *(long*)(statx + 40);
        long changed = Ticks(statx + 96);
        long modified = Ticks(statx + 112);
        ulong device = ((ulong)*(uint*)(statx + 136) << 32) | *(uint*)(statx + 140);
        FileKind kind = (mode & 0xF000) switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0xA000 => FileKind.SymbolicLink,
            0x1000 => FileKind.Fifo,
            0x2000 => FileKind.CharacterDevice,
            0x6000 => FileKind.BlockDevice,
            0xC000 => FileKind.Socket,
            _ => FileKind.Other,
        };
        return new FileStatus(kind, uid, (UnixFileMode)(mode & 0xFFF), device, inode, size, modified, changed);
    }

    private static unsafe long Ticks(byte* timestamp) => (*(long*)timestamp * TimeSpan.TicksPerSecond) + (*(uint*)(timestamp + 8) / 100);
}
