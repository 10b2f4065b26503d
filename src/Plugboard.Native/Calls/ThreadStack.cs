using System.Runtime.InteropServices;

namespace Plugboard.Native.Calls;

/// <summary>
/// The address range of the calling thread's stack, from the operating system. The sink uses it to tell whether it
/// runs on the thread a call token belongs to (an address of its own local lies in that thread's stack) without a
/// thread-local read, which from inside a reverse P/Invoke costs several times the rest of the check.
/// </summary>
internal static unsafe partial class ThreadStack
{
    /// <summary>This thread's stack as [low, high); false when the platform does not say (the caller then uses a thread-local).</summary>
    public static bool TryGetBounds(out nint low, out nint high)
    {
        low = high = 0;
        try
        {
            if (OperatingSystem.IsLinux())
            {
                // pthread_attr_t is 56 bytes on x64 and 64 on arm64 glibc; musl's is smaller.
                byte* attr = stackalloc byte[256];
                if (pthread_getattr_np(pthread_self(), attr) != 0)
                {
                    return false;
                }
                int status = pthread_attr_getstack(attr, out nint address, out nuint size);
                _ = pthread_attr_destroy(attr);
                if (status != 0)
                {
                    return false;
                }
                (low, high) = (address, address + (nint)size);
            }
            else if (OperatingSystem.IsMacOS())
            {
                nint self = pthread_self();
                high = pthread_get_stackaddr_np(self); // the top: macOS stacks grow down from it
                low = high - (nint)pthread_get_stacksize_np(self);
            }
            else if (OperatingSystem.IsWindows())
            {
                GetCurrentThreadStackLimits(out nuint lowLimit, out nuint highLimit);
                (low, high) = ((nint)lowLimit, (nint)highLimit);
            }
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            low = high = 0;
        }
        // Sanity: the range must hold this very frame, or it is not this thread's stack.
        byte here = 0;
        nint sp = (nint)(&here);
        if (low == 0 || high <= low || sp < low || sp >= high)
        {
            low = high = 0;
            return false;
        }
        return true;
    }

    [LibraryImport("libc")]
    private static partial nint pthread_self();

    [LibraryImport("libc")]
    private static partial int pthread_getattr_np(nint thread, byte* attr);

    [LibraryImport("libc")]
    private static partial int pthread_attr_getstack(byte* attr, out nint address, out nuint size);

    [LibraryImport("libc")]
    private static partial int pthread_attr_destroy(byte* attr);

    [LibraryImport("libc")]
    private static partial nint pthread_get_stackaddr_np(nint thread);

    [LibraryImport("libc")]
    private static partial nuint pthread_get_stacksize_np(nint thread);

    [LibraryImport("kernel32")]
    private static partial void GetCurrentThreadStackLimits(out nuint lowLimit, out nuint highLimit);
}
