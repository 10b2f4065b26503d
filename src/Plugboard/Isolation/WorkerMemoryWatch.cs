using System.Diagnostics;
using System.Globalization;

namespace Plugboard.Isolation;

/// <summary>
/// Watches the resident memory of one worker process, managed and native alike (<see cref="PluginIsolationOptions.ProcessMemoryLimit"/>),
/// from the host: every <see cref="Interval"/> it reads the worker's resident set (<c>/proc/&lt;pid&gt;/statm</c> on Linux,
/// the process's working set elsewhere) and kills the worker once it is past the limit.
/// </summary>
/// <remarks>
/// A watch rather than a kernel limit: <c>setrlimit</c> has no resident-memory limit that Linux enforces (an address-space
/// limit breaks the runtime, which reserves far more than it uses), and a cgroup needs a delegated cgroup v2 tree that a
/// host rarely has. The price: a worker can pass the limit by what it allocates within one interval before it is killed.
/// </remarks>
internal static class WorkerMemoryWatch
{
    /// <summary>How often the resident memory is read: 20 ms, so an overshoot is what a plugin touches in 20 ms.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Reads <paramref name="process"/>'s resident memory until it ends or passes <paramref name="limit"/> bytes; then
    /// calls <paramref name="exceeded"/> once with the resident bytes read.
    /// </summary>
    public static async Task WatchAsync(Process process, long limit, Task exited, Action<long> exceeded)
    {
        using var timer = new PeriodicTimer(Interval);
        string statm = $"/proc/{process.Id.ToString(CultureInfo.InvariantCulture)}/statm";
        bool proc = OperatingSystem.IsLinux();
        while (!exited.IsCompleted && await timer.WaitForNextTickAsync().ConfigureAwait(false))
        {
            long? resident = proc ? ReadStatm(statm) : WorkingSet(process);
            if (resident > limit)
            {
                exceeded(resident.Value);
                return;
            }
            if (resident is null)
            {
                return; // it has ended
            }
        }
    }

    /// <summary>The resident set in bytes: statm's second field, in pages; null once the process is gone.</summary>
    private static long? ReadStatm(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        string[] fields = text.Split(' ', 3);
        return fields.Length > 1 && long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out long pages)
            ? pages * Environment.SystemPageSize : null;
    }

    private static long? WorkingSet(Process process)
    {
        try
        {
            process.Refresh();
            return process.HasExited ? null : process.WorkingSet64;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
