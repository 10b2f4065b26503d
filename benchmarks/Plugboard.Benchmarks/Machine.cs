using System.Globalization;
using System.Runtime.InteropServices;

namespace Plugboard.Benchmarks;

/// <summary>What the figures were measured on, and how busy the machine was.</summary>
internal static class Machine
{
    public static string Cpu => ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
        ?? RuntimeInformation.ProcessArchitecture.ToString();

    public static int Cores => Environment.ProcessorCount;

    public static string Memory
    {
        get
        {
            string? line = ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            return line is null ? "unknown" : $"{long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0 / 1024.0:F1} GiB";
        }
    }

    public static string OperatingSystem
    {
        get
        {
            string? pretty = ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?["PRETTY_NAME=".Length..].Trim('"');
            string kernel = ReadLines("/proc/sys/kernel/osrelease").FirstOrDefault() ?? "";
            return pretty is null ? RuntimeInformation.OSDescription : $"{pretty}, kernel {kernel}";
        }
    }

    public static string Runtime => $"{RuntimeInformation.FrameworkDescription} ({RuntimeInformation.RuntimeIdentifier}), GC {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}";

    public static string LoadAverage => ReadLines("/proc/loadavg").FirstOrDefault() is string line ? string.Join(" ", line.Split(' ').Take(3)) : "n/a";

    /// <summary>Other dotnet (or compiler) processes running now, besides this one: the sign that others share the cores.</summary>
    public static int OtherBusyProcesses()
    {
        if (!Directory.Exists("/proc"))
        {
            return 0;
        }
        int count = 0;
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid) || pid == Environment.ProcessId)
            {
                continue;
            }
            string comm = ReadLines(Path.Combine(dir, "comm")).FirstOrDefault() ?? "";
            if (comm is "dotnet" or "cc1" or "cc1plus" or "rustc" or "ilc" or "VBCSCompiler" or "MSBuild" or "cargo" or "gcc" or "ld")
            {
                count++;
            }
        }
        return count;
    }

    /// <summary>The machine's and this process's CPU time so far, in clock ticks (Linux; zeros elsewhere).</summary>
    public static CpuSample SampleCpu()
    {
        string? all = ReadLines("/proc/stat").FirstOrDefault(l => l.StartsWith("cpu ", StringComparison.Ordinal));
        string? self = ReadLines("/proc/self/stat").FirstOrDefault();
        if (all is null || self is null)
        {
            return new CpuSample(0, 0, 0);
        }
        long[] t = [.. all.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).Select(v => long.Parse(v, CultureInfo.InvariantCulture))];
        // user nice system idle iowait irq softirq steal: busy is everything but idle and iowait.
        long busy = t[0] + t[1] + t[2] + t[5] + t[6] + t[7], total = busy + t[3] + t[4];
        // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th of them.
        string[] f = self[(self.LastIndexOf(')') + 2)..].Split(' ');
        long own = long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture);
        return new CpuSample(total, busy, own);
    }

    private static IEnumerable<string> ReadLines(string path)
    {
        try
        {
            return File.ReadAllLines(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}

/// <summary>CPU time of the whole machine (all cores) and of this process, in clock ticks.</summary>
internal sealed record CpuSample(long Total, long Busy, long Own)
{
    /// <summary>
    /// The share of the machine's CPU that other processes used between <paramref name="start"/> and this sample: what
    /// decides whether a run was quiet (the load average counts the harness itself).
    /// </summary>
    public double OthersShareSince(CpuSample start)
    {
        long total = Total - start.Total;
        return total <= 0 ? double.NaN : Math.Max(0, (double)(Busy - start.Busy - (Own - start.Own)) / total);
    }
}
