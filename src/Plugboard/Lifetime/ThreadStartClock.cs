using System.Globalization;
using System.Runtime.InteropServices;

namespace Plugboard.Lifetime;

/// <summary>
/// When the threads of this process started, in the clock Linux reports it in (<c>/proc/self/task/&lt;id&gt;/stat</c>,
/// field 22: clock ticks since boot, <c>CLOCK_BOOTTIME</c>). A load notes the tick it began in (one vDSO call, no file
/// read: a load used to list <c>/proc/self/task</c>, a twentieth of a cold load); a failed unload asks which threads
/// started in or after that tick. A tick is 1/<c>_SC_CLK_TCK</c> s (10 ms): a thread the host started in the same tick
/// just before the load counts as started during it, so the answer never misses a plugin's thread.
/// </summary>
internal static partial class ThreadStartClock
{
    private const int ClockBoottime = 7;
    private const int ScClockTicks = 2;
    private static readonly long TicksPerSecond = OperatingSystem.IsLinux() ? TicksPerSecondOfLinux() : 0;

    /// <summary>The current tick, or null where threads' start times cannot be read (not Linux).</summary>
    public static unsafe long? Now()
    {
        if (TicksPerSecond <= 0)
        {
            return null;
        }
        Timespec now;
        if (clock_gettime(ClockBoottime, &now) != 0)
        {
            return null;
        }
        return now.Seconds * TicksPerSecond + now.Nanoseconds * TicksPerSecond / 1_000_000_000;
    }

    /// <summary>Name and start tick of a live thread of this process; null when it ended meanwhile.</summary>
    public static (string Name, long StartTick)? Of(int threadId)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/self/task/{threadId.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        // "tid (name) state ...": the name may hold spaces and parentheses, so it ends at the last ')'.
        int open = stat.IndexOf('(', StringComparison.Ordinal), close = stat.LastIndexOf(')');
        if (open < 0 || close < open)
        {
            return null;
        }
        ReadOnlySpan<char> rest = stat.AsSpan(close + 2);
        for (int field = 3; field < 22; field++)
        {
            int space = rest.IndexOf(' ');
            if (space < 0)
            {
                return null;
            }
            rest = rest[(space + 1)..];
        }
        int end = rest.IndexOf(' ');
        return long.TryParse(end < 0 ? rest : rest[..end], NumberStyles.None, CultureInfo.InvariantCulture, out long start)
            ? (stat[(open + 1)..close], start)
            : null;
    }

    private static long TicksPerSecondOfLinux()
    {
        try
        {
            return sysconf(ScClockTicks);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return 0;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc.so.6")]
    private static unsafe partial int clock_gettime(int clock, Timespec* time);

    [LibraryImport("libc.so.6")]
    private static partial long sysconf(int name);
}
