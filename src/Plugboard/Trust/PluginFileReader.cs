using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Plugboard.Trust;

/// <summary>
/// Reads one file of a plugin whole, in a way no file can turn into a hang or a crash of the host: the entry's
/// type is checked before opening (only regular files are opened), the open never blocks (a FIFO swapped in after
/// the check opens and reads as empty instead of waiting for a writer), the open file is checked again to be the
/// regular file that was checked, the size is capped, and a file another process holds locked (.NET's
/// <c>FileShare.None</c>) or that cannot be read is a typed error for that one plugin.
/// </summary>
internal static class PluginFileReader
{
    private const int ReadOnlyNonBlockingCloseOnExec = 0x800 | 0x80000;
    private const int LockSharedNonBlocking = 1 | 4;
    private const int WouldBlock = 11;

    /// <summary>Reads the regular file at <paramref name="path"/> (links already resolved by the caller).</summary>
    /// <param name="path">The file to read.</param>
    /// <param name="maxBytes">The largest size accepted.</param>
    /// <param name="pluginId">The plugin, for errors.</param>
    /// <param name="shownPath">The path to name in errors (the plugin's own path of the file, which may be a link).</param>
    /// <param name="checkedStatus">The entry's status the caller has just taken (the snapshot's walk does), so it is not asked twice; null to take it here.</param>
    /// <exception cref="PluginException">PB0108 to PB0112.</exception>
    public static byte[] Read(string path, long maxBytes, string pluginId, string shownPath, FileStatus? checkedStatus = null)
    {
        if (!FileStatus.IsSupported)
        {
            return ReadPortable(path, maxBytes, pluginId, shownPath);
        }
        FileStatus? before = checkedStatus;
        try
        {
            before ??= FileStatus.OfEntry(path);
        }
        catch (IOException ex)
        {
            throw Unreadable(pluginId, shownPath, ex.Message, ex);
        }
        if (before is not { } status)
        {
            throw Unreadable(pluginId, shownPath, "The file does not exist (or disappeared while it was being read).", null);
        }
        if (status.Kind != FileKind.Regular)
        {
            throw NotARegularFile(pluginId, shownPath, status.Kind);
        }
        CheckSize(status.Size, maxBytes, pluginId, shownPath);
        int fd = LibC.open(path, ReadOnlyNonBlockingCloseOnExec);
        if (fd < 0)
        {
            throw Unreadable(pluginId, shownPath, $"It cannot be opened (errno {Marshal.GetLastPInvokeError()}).", null);
        }
        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        FileStatus opened = FileStatus.Of(handle);
        if (opened.Kind != FileKind.Regular)
        {
            throw NotARegularFile(pluginId, shownPath, opened.Kind);
        }
        if (opened.Inode != status.Inode || opened.Device != status.Device)
        {
            throw ChangedWhileReading(pluginId, shownPath, "it was replaced between checking and opening it");
        }
        // The advisory lock .NET takes for FileShare.None: a writer holding it is still writing.
        if (LibC.flock(fd, LockSharedNonBlocking) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno == WouldBlock)
            {
                throw Locked(pluginId, shownPath, null);
            }
        }
        CheckSize(opened.Size, maxBytes, pluginId, shownPath);
        byte[] bytes = ReadExactly(handle, opened.Size, pluginId, shownPath);
        FileStatus after = FileStatus.Of(handle);
        if (after.Size != opened.Size || after.ModifiedTicks != opened.ModifiedTicks)
        {
            throw ChangedWhileReading(pluginId, shownPath, "it was written to while being read");
        }
        return bytes;
    }

    private static byte[] ReadExactly(SafeFileHandle handle, long length, string pluginId, string shownPath)
    {
        var bytes = new byte[length];
        long offset = 0;
        try
        {
            while (offset < length)
            {
                int read = RandomAccess.Read(handle, bytes.AsSpan((int)offset), offset);
                if (read == 0)
                {
                    throw ChangedWhileReading(pluginId, shownPath, "it became shorter while being read");
                }
                offset += read;
            }
        }
        catch (IOException ex)
        {
            throw Unreadable(pluginId, shownPath, ex.Message, ex);
        }
        return bytes;
    }

    private static byte[] ReadPortable(string path, long maxBytes, string pluginId, string shownPath)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.None);
            if (!stream.CanSeek)
            {
                throw NotARegularFile(pluginId, shownPath, FileKind.Other);
            }
            CheckSize(stream.Length, maxBytes, pluginId, shownPath);
            var bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
            return bytes;
        }
        catch (EndOfStreamException ex)
        {
            throw ChangedWhileReading(pluginId, shownPath, $"it became shorter while being read ({ex.Message})");
        }
        catch (IOException ex) when (ex.HResult is unchecked((int)0x80070020) or unchecked((int)0x80070021))
        {
            throw Locked(pluginId, shownPath, ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Unreadable(pluginId, shownPath, ex.Message, ex);
        }
    }

    private static void CheckSize(long size, long maxBytes, string pluginId, string shownPath)
    {
        if (size > maxBytes)
        {
            throw new PluginException(PluginErrorCode.PluginFileTooLarge, pluginId, shownPath,
                $"The file is {size} bytes; the limit for this file is {maxBytes} bytes.",
                "Remove the file from the plugin folder; a manifest or deps.json that large is not one.");
        }
    }

    internal static PluginException NotARegularFile(string pluginId, string shownPath, FileKind kind) =>
        new(PluginErrorCode.SpecialFileInPluginFolder, pluginId, shownPath,
            $"It is a {Describe(kind)}, not a regular file; Plugboard does not open it (reading it could block or never end).",
            "Remove it from the plugin folder: a plugin folder holds only regular files and folders.");

    internal static PluginException ChangedWhileReading(string pluginId, string shownPath, string how) =>
        new(PluginErrorCode.PluginFileChangedWhileReading, pluginId, shownPath,
            $"The file changed while the plugin was being read: {how}.",
            "Wait until the plugin's files are completely written (build or copy finished), then load it again.");

    private static PluginException Locked(string pluginId, string shownPath, Exception? inner) =>
        new(PluginErrorCode.PluginFileLocked, pluginId, shownPath,
            "Another process holds the file locked (opened for exclusive use), so it may be half written.",
            "Wait until that process (a build or a copy) has finished, then load the plugin again.", inner);

    internal static PluginException Unreadable(string pluginId, string shownPath, string cause, Exception? inner) =>
        new(PluginErrorCode.PluginFileUnreadable, pluginId, shownPath, $"The file cannot be read: {cause}",
            "Check that the file exists and that the host's user may read it.", inner);

    internal static string Describe(FileKind kind) => kind switch
    {
        FileKind.Fifo => "named pipe (FIFO)",
        FileKind.CharacterDevice => "character device",
        FileKind.BlockDevice => "block device",
        FileKind.Socket => "socket",
        FileKind.Directory => "folder",
        FileKind.SymbolicLink => "symbolic link",
        _ => "special file",
    };
}
