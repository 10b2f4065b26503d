namespace Plugboard.Isolation;

/// <summary>
/// How a worker process ended, in words: "ended with signal 6 (SIGABRT)", "exited with code 42", "was killed after
/// a call passed its deadline". On Unix, .NET reports a process ended by signal N as exit code 128 + N.
/// </summary>
internal sealed record WorkerExit(int? ExitCode, string? KilledBecause)
{
    private static readonly Dictionary<int, string> SignalNames = new()
    {
        [1] = "SIGHUP", [2] = "SIGINT", [3] = "SIGQUIT", [4] = "SIGILL", [5] = "SIGTRAP", [6] = "SIGABRT", [7] = "SIGBUS", [8] = "SIGFPE",
        [9] = "SIGKILL", [11] = "SIGSEGV", [13] = "SIGPIPE", [14] = "SIGALRM", [15] = "SIGTERM",
    };

    /// <summary>The signal that ended the process, when it was one (Unix).</summary>
    public int? Signal => !OperatingSystem.IsWindows() && ExitCode is > 128 and < 160 ? ExitCode - 128 : null;

    public string Describe() =>
        KilledBecause is not null ? $"was killed by the host because {KilledBecause}"
        : Signal is int signal ? $"ended with signal {signal} ({SignalNames.GetValueOrDefault(signal, "SIG?")})"
        : ExitCode is int code ? $"exited with code {code}"
        : "ended (its exit status is unknown)";
}
