using System.Diagnostics;
using System.Reflection;
using System.Runtime.Loader;

namespace Plugboard.Lifetime;

/// <summary>
/// Says what may keep an unloaded plugin alive when the collector did not reclaim it: handlers the plugin left on
/// static events of host API types (found exactly), and timers and threads that appeared while it was loaded
/// (process-wide counts, so only a hint).
/// </summary>
internal static class LeakSuspects
{
    /// <summary>The first suspect of a plugin abandoned because <paramref name="hook"/> timed out with <paramref name="error"/>.</summary>
    public static string Abandoned(string hook, PluginException error) =>
        $"abandoned: its {hook} hook {Outcome(error)} ({error.CodeText}) and may still be running; code that runs keeps its plugin alive";

    /// <summary>What became of a hook Plugboard stopped waiting for: its deadline passed, or its load was cancelled.</summary>
    public static string Outcome(PluginException error) => error.Code == PluginErrorCode.LoadCanceled ? "was cancelled" : "timed out";

    /// <param name="Timers">Active timers.</param>
    /// <param name="Threads">Threads of the process, where their start times cannot be read (else 0).</param>
    /// <param name="StartTick">
    /// On Linux, the tick of <see cref="ThreadStartClock"/> the load began in: threads that started in it or later are
    /// the ones that may be the plugin's. (Thread ids cannot say it: they wrap around at pid_max, 32768 by default.)
    /// </param>
    public readonly record struct Baseline(long Timers, int Threads, long? StartTick)
    {
        public static Baseline Now() =>
            ThreadStartClock.Now() is long tick ? new(Timer.ActiveCount, 0, tick) : new(Timer.ActiveCount, CurrentThreadCount(), null);
    }

    public static List<string> Find(AssemblyLoadContext context, IEnumerable<Assembly> hostAssemblies, Baseline baseline, int aliveInstances, int instanceCount, int callsInFlight)
    {
        var suspects = new List<string>();
        if (aliveInstances > 0)
        {
            suspects.Add($"{aliveInstances} of {instanceCount} entry instance(s) Plugboard handed out are still alive (held by the host, or by an event, cache or root named here)");
        }
        if (callsInFlight > 0)
        {
            suspects.Add($"{callsInFlight} call(s) were still running in the plugin when the drain timeout expired");
        }
        var pluginAssemblies = context.Assemblies.ToHashSet();
        suspects.AddRange(StaticEventHandlers(hostAssemblies, pluginAssemblies));
        suspects.AddRange(FrameworkStaticEvents.Find(pluginAssemblies));
        long timers = Timer.ActiveCount - baseline.Timers;
        if (timers > 0)
        {
            suspects.Add($"{timers} more timer(s) are active than when the plugin loaded (a timer whose callback is plugin code keeps it alive; stop timers in StopAsync)");
        }
        List<string> newThreads = baseline.StartTick is long tick ? ThreadsStartedSince(tick) : [];
        if (newThreads.Count > 0)
        {
            suspects.Add($"{newThreads.Count} thread(s) started while the plugin was loaded are still running: {string.Join(", ", newThreads.Take(5))} (a thread running plugin code keeps it alive; end threads in StopAsync)");
        }
        // Where start times tell which threads are new, the plain count is noise: the runtime's pool threads (created,
        // among others, by the unload's own waits) would be counted as the plugin's.
        int threads = baseline.StartTick is not null ? 0 : CurrentThreadCount() - baseline.Threads;
        if (threads > 0)
        {
            suspects.Add($"{threads} more thread(s) are running than when the plugin loaded (a thread running plugin code keeps it alive; end threads in StopAsync)");
        }
        if (suspects.Count == 0)
        {
            suspects.Add("a reference held outside Plugboard (a plugin object, type or delegate kept by the host, or a framework cache such as System.Text.Json's or TypeDescriptor's)");
        }
        return suspects;
    }

    private static IEnumerable<string> StaticEventHandlers(IEnumerable<Assembly> hostAssemblies, HashSet<Assembly> pluginAssemblies)
    {
        const BindingFlags Statics = BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        foreach (Assembly assembly in hostAssemblies)
        {
            Type[] types;
            try
            {
                types = assembly.GetTypes();
            }
            catch (ReflectionTypeLoadException ex)
            {
                types = ex.Types.Where(t => t is not null).ToArray()!;
            }
            foreach (Type type in types.Where(t => !t.ContainsGenericParameters))
            {
                foreach (FieldInfo field in type.GetFields(Statics).Where(f => typeof(Delegate).IsAssignableFrom(f.FieldType)))
                {
                    if (field.GetValue(null) is not Delegate value)
                    {
                        continue;
                    }
                    foreach (Delegate handler in value.GetInvocationList())
                    {
                        if (handler.Method.DeclaringType?.Assembly is Assembly owner && pluginAssemblies.Contains(owner))
                        {
                            yield return $"static event {type.FullName}.{field.Name} still holds the plugin's handler {handler.Method.DeclaringType.FullName}.{handler.Method.Name} (unsubscribe in StopAsync)";
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Names and ids of live threads that started in or after <paramref name="tick"/>, leaving out the runtime's own
    /// threads and Plugboard's native call threads (and the threads native code started from them).
    /// </summary>
    internal static List<string> ThreadsStartedSince(long tick)
    {
        var names = new Dictionary<int, string>();
        var started = new List<(int Id, long StartTick)>();
        foreach (int id in ThreadIds())
        {
            if (ThreadStartClock.Of(id) is (string name, long startTick))
            {
                names[id] = name;
                started.Add((id, startTick)); // else it ended meanwhile
            }
        }
        return [.. StartedSince(tick, started).Where(id => !IsRuntimeThread(names[id]) && !IsNativeCallThread(names[id])).Select(id => $"'{names[id]}' (thread id {id})")];
    }

    /// <summary>The ids of the threads that started in or after <paramref name="tick"/>, in order of id.</summary>
    internal static IEnumerable<int> StartedSince(long tick, IEnumerable<(int Id, long StartTick)> threads) =>
        threads.Where(t => t.StartTick >= tick).Select(t => t.Id).Order();

    /// <summary>Threads the runtime creates for itself (Linux keeps 15 characters of a name): never plugin code of their own.</summary>
    private static bool IsRuntimeThread(string name) =>
        name is ".NET TP Worker" or ".NET TP Gate" or ".NET Timer" or ".NET TP Wait" or ".NET Finalizer" or ".NET SigHandler" or ".NET BGC" or ".NET EventPipe"
            or ".NET DebugPipe" or ".NET Debugger" or "createdump"
        || name.StartsWith(".NET Tiered", StringComparison.Ordinal) || name.StartsWith(".NET Server GC", StringComparison.Ordinal);

    /// <summary>
    /// A host call thread running a native plugin's init, invoke or shutdown, or a thread native code started from one
    /// (Linux threads inherit their creator's name). Native inits run concurrently with the loads after them, so such a
    /// thread starting while a managed plugin is loaded says nothing about that plugin.
    /// </summary>
    private static bool IsNativeCallThread(string name) => name.StartsWith(Native.Calls.CallThreads.NamePrefix, StringComparison.Ordinal);

    private static IEnumerable<int> ThreadIds()
    {
        IEnumerable<string> entries;
        try
        {
            entries = Directory.EnumerateDirectories("/proc/self/task").ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
        return entries.Select(e => int.TryParse(Path.GetFileName(e), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int id) ? id : 0).Where(id => id > 0);
    }

    // Where start times cannot be read. Process.Threads builds a ProcessThread per thread (about 2 ms with 16
    // threads on Linux); /proc/self/stat has the count in one small read (field 20, num_threads).
    private static int CurrentThreadCount()
    {
        if (OperatingSystem.IsLinux())
        {
            try
            {
                string stat = File.ReadAllText("/proc/self/stat");
                // Fields after the command name, which is in parentheses and may contain spaces: state is field 3.
                ReadOnlySpan<char> rest = stat.AsSpan(stat.LastIndexOf(')') + 2);
                for (int field = 3; field < 20; field++)
                {
                    rest = rest[(rest.IndexOf(' ') + 1)..];
                }
                int end = rest.IndexOf(' ');
                if (int.TryParse(end < 0 ? rest : rest[..end], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int threads))
                {
                    return threads;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
            }
        }
        using Process process = Process.GetCurrentProcess();
        return process.Threads.Count;
    }
}
