using System.Runtime.InteropServices;

namespace Plugboard.Native.Loading;

/// <summary>
/// The operating system's loader behind <see cref="SharedLibrary"/>. Unix goes through dlopen/dlsym/dlerror
/// directly, because <see cref="NativeLibrary"/> swallows the dlerror() text that says why a load failed.
/// </summary>
internal abstract class DynamicLinker
{
    /// <summary>The linker of the current operating system.</summary>
    public static DynamicLinker Current { get; } = Create();

    /// <summary>Opens a library by the exact name or path given (no name rewriting).</summary>
    /// <param name="pathOrName">What to hand the OS loader.</param>
    /// <param name="error">The loader's message on failure.</param>
    /// <returns>The handle, or zero.</returns>
    public abstract nint Open(string pathOrName, out string? error);

    /// <summary>Looks up an exported symbol.</summary>
    /// <param name="handle">An open handle.</param>
    /// <param name="name">The symbol name.</param>
    /// <param name="error">The loader's message on failure.</param>
    /// <returns>The address, or zero.</returns>
    public abstract nint FindSymbol(nint handle, string name, out string? error);

    /// <summary>Closes a handle.</summary>
    /// <param name="handle">An open handle.</param>
    /// <param name="error">The loader's message on failure.</param>
    /// <returns>True on success.</returns>
    public abstract bool Close(nint handle, out string? error);

    private static DynamicLinker Create()
    {
        if (OperatingSystem.IsWindows())
        {
            return new WindowsLinker();
        }
        return OperatingSystem.IsMacOS() ? new UnixLinker(macOS: true) : new UnixLinker(macOS: false);
    }
}
