using System.Runtime.InteropServices;

namespace Plugboard.Native.Loading;

/// <summary>dlopen/dlsym/dlclose with dlerror() text on failure (Linux and macOS).</summary>
internal sealed partial class UnixLinker : DynamicLinker
{
    // RTLD_NOW: fail at load time on unresolved symbols instead of crashing at the first call.
    // RTLD_LOCAL: two plugins exporting the same names must not bind to each other.
    private const int RtldNowLinux = 0x2;
    private const int RtldNowMac = 0x2;
    private const int RtldLocalLinux = 0x0;
    private const int RtldLocalMac = 0x4;

    private readonly bool _macOS;
    private readonly int _openFlags;
    private bool _useLibDl;

    public UnixLinker(bool macOS)
    {
        _macOS = macOS;
        _openFlags = macOS ? RtldNowMac | RtldLocalMac : RtldNowLinux | RtldLocalLinux;
    }

    // dlerror() state is per thread, and the loader calls run on this thread, so reading it right after is safe.
    // The caller must not be interrupted by other dl* calls on the same thread in between, which holds here.
    public override nint Open(string pathOrName, out string? error)
    {
        _ = DlError();
        nint handle = DlOpen(pathOrName, _openFlags);
        error = handle == 0 ? DlError() ?? "dlopen failed without a message." : null;
        return handle;
    }

    public override nint FindSymbol(nint handle, string name, out string? error)
    {
        _ = DlError();
        nint address = DlSym(handle, name);
        error = address == 0 ? DlError() ?? $"{name}: symbol is null." : null;
        return address;
    }

    public override bool Close(nint handle, out string? error)
    {
        _ = DlError();
        bool ok = DlClose(handle) == 0;
        error = ok ? null : DlError() ?? "dlclose failed without a message.";
        return ok;
    }

    private nint DlOpen(string path, int flags)
    {
        if (_macOS)
        {
            return MacLibSystem.dlopen(path, flags);
        }
        if (!_useLibDl)
        {
            try
            {
                return LinuxLibC.dlopen(path, flags);
            }
            catch (EntryPointNotFoundException)
            {
                // glibc before 2.34 (and some musl setups) keep dl* in libdl.so.2 only.
                _useLibDl = true;
            }
        }
        return LinuxLibDl.dlopen(path, flags);
    }

    private nint DlSym(nint handle, string name) =>
        _macOS ? MacLibSystem.dlsym(handle, name) : _useLibDl ? LinuxLibDl.dlsym(handle, name) : LinuxLibC.dlsym(handle, name);

    private int DlClose(nint handle) =>
        _macOS ? MacLibSystem.dlclose(handle) : _useLibDl ? LinuxLibDl.dlclose(handle) : LinuxLibC.dlclose(handle);

    private string? DlError()
    {
        nint message = _macOS ? MacLibSystem.dlerror() : _useLibDl ? LinuxLibDl.dlerror() : LinuxLibC.dlerror();
        return message == 0 ? null : Marshal.PtrToStringUTF8(message);
    }

#pragma warning disable SA1300, IDE1006 // the C names are the point
    private static partial class LinuxLibC
    {
        // The runtime maps "libc" to the platform's libc.so.6 on Linux.
        [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
        internal static partial nint dlopen(string path, int flags);

        [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
        internal static partial nint dlsym(nint handle, string name);

        [LibraryImport("libc")]
        internal static partial int dlclose(nint handle);

        [LibraryImport("libc")]
        internal static partial nint dlerror();
    }

    private static partial class LinuxLibDl
    {
        [LibraryImport("libdl.so.2", StringMarshalling = StringMarshalling.Utf8)]
        internal static partial nint dlopen(string path, int flags);

        [LibraryImport("libdl.so.2", StringMarshalling = StringMarshalling.Utf8)]
        internal static partial nint dlsym(nint handle, string name);

        [LibraryImport("libdl.so.2")]
        internal static partial int dlclose(nint handle);

        [LibraryImport("libdl.so.2")]
        internal static partial nint dlerror();
    }

    private static partial class MacLibSystem
    {
        [LibraryImport("/usr/lib/libSystem.B.dylib", StringMarshalling = StringMarshalling.Utf8)]
        internal static partial nint dlopen(string path, int flags);

        [LibraryImport("/usr/lib/libSystem.B.dylib", StringMarshalling = StringMarshalling.Utf8)]
        internal static partial nint dlsym(nint handle, string name);

        [LibraryImport("/usr/lib/libSystem.B.dylib")]
        internal static partial int dlclose(nint handle);

        [LibraryImport("/usr/lib/libSystem.B.dylib")]
        internal static partial nint dlerror();
    }
#pragma warning restore SA1300, IDE1006
}
