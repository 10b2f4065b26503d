using System.Runtime.InteropServices;

namespace Plugboard.Serving;

/// <summary>
/// On Linux, asks the kernel to kill this worker the moment its host ends (PR_SET_PDEATHSIG), even by SIGKILL, when
/// no code of the host can run. Everywhere else (and as a second line on Linux), the end of the standard input the
/// host holds open ends the worker (<see cref="WorkerProgram"/>).
/// </summary>
internal static partial class ParentDeath
{
    private const int PrSetPdeathsig = 1;
    private const int SigKill = 9;

    /// <summary>Arms the signal; false when the host already ended before it was armed (the worker must end now).</summary>
    public static bool Arm(int hostProcessId)
    {
        if (!OperatingSystem.IsLinux())
        {
            return true;
        }
        _ = prctl(PrSetPdeathsig, SigKill, 0, 0, 0);
        // The host may have ended between fork and prctl: then this worker was already handed to another parent.
        return getppid() == hostProcessId;
    }

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static partial int prctl(int option, nint arg2, nint arg3, nint arg4, nint arg5);

    [LibraryImport("libc.so.6")]
    private static partial int getppid();
}
