using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using Microsoft.Diagnostics.Runtime;
using Plugboard.Diagnostics.Heap;

namespace Plugboard.Diagnostics;

/// <summary>
/// The deep unload diagnosis: takes a snapshot of the host's own process (the runtime's createdump, through ClrMD),
/// walks the heap from every GC root and reports each root from which the unloaded plugin's <c>LoaderAllocator</c> is
/// reachable, with the chain of types. Set it on <see cref="PluginHostOptions.UnloadDiagnosis"/>; it runs only for a
/// plugin that was not collected. Costs a snapshot (the whole heap is copied) and a walk of every live object.
/// </summary>
public sealed class HeapRootDiagnosis : UnloadDiagnosis
{
    /// <summary>At most this many roots are reported per plugin (the first found are the shortest paths).</summary>
    public int MaxRoots { get; set; } = 8;

    /// <inheritdoc />
    public override IReadOnlyList<LeakRoot> FindRoots(string pluginId, WeakReference context)
    {
        ArgumentNullException.ThrowIfNull(context);
        // A weak handle to one of the plugin's types identifies its LoaderAllocator in the snapshot without this
        // method's own stack holding the plugin alive (a strong local would be a root of its own).
        nint marker = MarkPluginType(context);
        if (marker == 0)
        {
            return [];
        }
        try
        {
            // What this search allocated so far is garbage that no root reaches; collected now, it cannot be mistaken
            // for an object held by a root the runtime does not enumerate (see RootPathSearch's second phase).
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            using DataTarget target = Snapshot();
            // The snapshot does not carry a usable runtime version and ClrMD finds no DAC beside it on its own: the
            // running runtime's DAC is the right one by construction, since the snapshot is of this very process.
            using ClrRuntime runtime = target.ClrVersions[0].CreateRuntime(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), DacFileName), ignoreMismatch: true);
            return new RootPathSearch(runtime, (ulong)marker, MaxRoots).Run();
        }
        finally
        {
            GCHandle.FromIntPtr(marker).Free();
        }
    }

    private static DataTarget Snapshot()
    {
        using var diversion = new StandardOutputDiversion();
        return DataTarget.CreateSnapshotAndAttach(Environment.ProcessId);
    }

    private static string DacFileName =>
        OperatingSystem.IsWindows() ? "mscordaccore.dll" : OperatingSystem.IsMacOS() ? "libmscordaccore.dylib" : "libmscordaccore.so";

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static nint MarkPluginType(WeakReference context)
    {
        if (context.Target is not AssemblyLoadContext alive)
        {
            return 0;
        }
        foreach (Assembly assembly in alive.Assemblies)
        {
            Type[] types;
            try
            {
                types = assembly.GetTypes();
            }
            catch (ReflectionTypeLoadException ex)
            {
                types = ex.Types.OfType<Type>().ToArray();
            }
            if (types.Length > 0)
            {
                return GCHandle.ToIntPtr(GCHandle.Alloc(types[0], GCHandleType.Weak));
            }
        }
        return 0;
    }
}
