using Microsoft.Diagnostics.Runtime;

namespace Plugboard.Diagnostics.Heap;

/// <summary>
/// One breadth-first walk of the snapshot's heap from every root, most telling roots first (named static fields,
/// thread statics, thread stacks, the finalizer queue, then GC handles), stopping at objects of the plugin: each root
/// that reaches the plugin is reported once, with the shortest chain from it.
/// </summary>
internal sealed class RootPathSearch(ClrRuntime runtime, ulong markerHandle, int maxRoots)
{
    private readonly ClrHeap _heap = runtime.Heap;
    private readonly Dictionary<ulong, bool> _pluginTypes = [];
    private ulong _loaderAllocator;

    public IReadOnlyList<LeakRoot> Run()
    {
        _loaderAllocator = PluginLoaderAllocator();
        if (_loaderAllocator == 0)
        {
            return [];
        }
        List<Seed> seeds = [.. StaticFields(), .. ThreadStatics(), .. ThreadStacks(), .. FinalizerQueue(), .. Handles()];
        var parents = new Dictionary<ulong, (ulong Parent, int Seed)>();
        var queue = new Queue<ulong>();
        var reported = new HashSet<int>();
        var roots = RunningPluginCode();
        Walk(seeds, 0, parents, queue, reported, roots);
        if (roots.Count == 0)
        {
            // Nothing the DAC enumerates reaches the plugin, yet the collector keeps it: on .NET 10 the roots of
            // non-collectible thread statics (ThreadLocal<T> values among them) are scanned by the GC straight from
            // each thread's storage and are not enumerated. Their objects are the live ones no visible root reaches.
            int first = seeds.Count;
            seeds.AddRange(UnreachedTops(parents).Select(a => new Seed(a, LeakRootKind.ThreadStatic,
                "no root the diagnosis can enumerate: most likely a [ThreadStatic] field or a ThreadLocal<T> value of a live thread (thread statics are scanned by the runtime directly)")));
            Walk(seeds, first, parents, queue, reported, roots);
        }
        return roots;
    }

    private void Walk(List<Seed> seeds, int first, Dictionary<ulong, (ulong Parent, int Seed)> parents, Queue<ulong> queue, HashSet<int> reported, List<LeakRoot> roots)
    {
        for (int i = first; i < seeds.Count && roots.Count < maxRoots; i++)
        {
            ulong address = seeds[i].Object;
            if (address == 0)
            {
                continue;
            }
            if (IsPlugin(address))
            {
                // Reported from every root that reaches it: the plugin's objects are the goal, not ground to cover once.
                Report(0, address, i, seeds, parents, reported, roots);
            }
            else if (parents.TryAdd(address, (0, i)))
            {
                queue.Enqueue(address);
            }
        }
        while (queue.Count > 0 && roots.Count < maxRoots)
        {
            ulong address = queue.Dequeue();
            int seed = parents[address].Seed;
            foreach (ulong next in References(address))
            {
                if (next == 0)
                {
                    continue;
                }
                if (IsPlugin(next))
                {
                    Report(address, next, seed, seeds, parents, reported, roots);
                }
                else if (parents.TryAdd(next, (address, seed)))
                {
                    queue.Enqueue(next);
                }
            }
        }
    }

    /// <summary>Heap objects outside the plugin that no enumerated root reaches and no other such object references: the tops of what stays unexplained.</summary>
    private List<ulong> UnreachedTops(Dictionary<ulong, (ulong Parent, int Seed)> reached)
    {
        // What the plugin's LoaderAllocator itself holds (its handle table: the plugin's statics, its RuntimeAssembly)
        // is the plugin's own, not a root.
        var owned = new HashSet<ulong> { _loaderAllocator };
        var pending = new Queue<ulong>(owned);
        while (pending.Count > 0)
        {
            foreach (ulong next in References(pending.Dequeue()))
            {
                if (next != 0 && !reached.ContainsKey(next) && owned.Add(next))
                {
                    pending.Enqueue(next);
                }
            }
        }
        var unreached = new HashSet<ulong>();
        foreach (ClrObject obj in _heap.EnumerateObjects())
        {
            if (obj.IsValid && !obj.IsFree && !reached.ContainsKey(obj.Address) && !owned.Contains(obj.Address) && !IsPlugin(obj.Address))
            {
                unreached.Add(obj.Address);
            }
        }
        var referenced = new HashSet<ulong>();
        foreach (ulong address in unreached)
        {
            foreach (ulong next in References(address))
            {
                if (next != address && unreached.Contains(next))
                {
                    referenced.Add(next);
                }
            }
        }
        return [.. unreached.Where(a => !referenced.Contains(a))];
    }

    private void Report(ulong from, ulong reached, int seedIndex, List<Seed> seeds, Dictionary<ulong, (ulong Parent, int Seed)> parents, HashSet<int> reported, List<LeakRoot> roots)
    {
        if (!reported.Add(seedIndex))
        {
            return;
        }
        var chain = new List<string> { Describe(reached) };
        for (ulong at = from; at != 0; at = parents[at].Parent)
        {
            chain.Add(Describe(at));
        }
        chain.Reverse();
        Seed seed = seeds[seedIndex];
        LeakRootKind kind = chain.Any(t => t.StartsWith("System.Threading.TimerQueueTimer", StringComparison.Ordinal)) ? LeakRootKind.Timer
            : chain.Any(t => t.StartsWith("System.Threading.RegisteredWaitHandle", StringComparison.Ordinal)) ? LeakRootKind.RegisteredWait
            : seed.Kind;
        roots.Add(new LeakRoot(kind, seed.Root, chain));
    }

    /// <summary>The object's outgoing references, plus the implicit one of an instance of a collectible type to its LoaderAllocator.</summary>
    private IEnumerable<ulong> References(ulong address)
    {
        ClrObject obj = _heap.GetObject(address);
        if (obj.Type is not ClrType type)
        {
            yield break;
        }
        if (type.IsCollectible && LoaderAllocatorOf(type) is var allocator and not 0)
        {
            yield return allocator;
        }
        foreach (ClrObject reference in obj.EnumerateReferences(carefully: false, considerDependantHandles: true))
        {
            yield return reference.Address;
        }
    }

    private bool IsPlugin(ulong address)
    {
        if (address == _loaderAllocator)
        {
            return true;
        }
        return _heap.GetObjectType(address) is ClrType type && IsPluginType(type);
    }

    private bool IsPluginType(ClrType type)
    {
        if (!type.IsCollectible)
        {
            return false;
        }
        if (!_pluginTypes.TryGetValue(type.MethodTable, out bool plugin))
        {
            plugin = LoaderAllocatorOf(type) == _loaderAllocator;
            _pluginTypes[type.MethodTable] = plugin;
        }
        return plugin;
    }

    private ulong LoaderAllocatorOf(ClrType type) =>
        type.LoaderAllocatorHandle == 0 ? 0 : runtime.DataTarget.DataReader.ReadPointer(type.LoaderAllocatorHandle);

    /// <summary>The plugin's LoaderAllocator: that of the type the weak marker handle points at.</summary>
    private ulong PluginLoaderAllocator()
    {
        ClrHandle? marker = runtime.EnumerateHandles().FirstOrDefault(h => h.Address == markerHandle);
        if (marker is null || marker.Object.IsNull)
        {
            return 0;
        }
        ClrObject runtimeType = marker.Object;
        if (runtimeType.TryReadObjectField("m_keepalive", out ClrObject keepAlive) && !keepAlive.IsNull)
        {
            return keepAlive.Address;
        }
        ulong methodTable = runtimeType.ReadField<ulong>("m_handle");
        return runtime.GetTypeByMethodTable(methodTable) is ClrType type ? LoaderAllocatorOf(type) : 0;
    }

    private string Describe(ulong address)
    {
        ClrType? type = _heap.GetObjectType(address);
        if (type is null)
        {
            return $"<unknown object 0x{address:x}>";
        }
        if (type.Name == "System.RuntimeType")
        {
            ulong methodTable = _heap.GetObject(address).ReadField<ulong>("m_handle");
            if (runtime.GetTypeByMethodTable(methodTable)?.Name is string described)
            {
                return $"System.RuntimeType (typeof({described}))";
            }
        }
        return type.Name ?? $"<type 0x{type.MethodTable:x}>";
    }

    private IEnumerable<Seed> StaticFields()
    {
        ClrAppDomain? domain = runtime.AppDomains.FirstOrDefault();
        if (domain is null)
        {
            yield break;
        }
        foreach (ClrModule module in runtime.EnumerateModules())
        {
            foreach (ClrType type in module.EnumerateTypesWithStaticFields())
            {
                // A collectible type's statics live with its LoaderAllocator: they keep nothing alive on their own.
                if (type.IsCollectible)
                {
                    continue;
                }
                foreach (ClrStaticField field in type.StaticFields)
                {
                    if (!field.IsObjectReference)
                    {
                        continue;
                    }
                    ClrObject value = field.ReadObject(domain);
                    if (!value.IsNull)
                    {
                        yield return new Seed(value.Address, LeakRootKind.StaticField, $"static field {type.Name}.{field.Name} ({AssemblyName(module)})");
                    }
                }
            }
        }
    }

    private IEnumerable<Seed> ThreadStatics() =>
        _heap.EnumerateAdditionalRoots().Where(r => r.RootKind == ClrRootKind.ThreadStaticVar)
            .Select(r => new Seed(r.Object.Address, LeakRootKind.ThreadStatic, "thread-static storage of a thread (a [ThreadStatic] field or a ThreadLocal<T> value)"));

    private IEnumerable<Seed> ThreadStacks()
    {
        foreach (ClrThread thread in runtime.Threads.Where(t => t.IsAlive))
        {
            string name = $"stack of thread {thread.ManagedThreadId} (OS thread {thread.OSThreadId}{ThreadName(thread.OSThreadId)})";
            foreach (ClrRoot root in thread.EnumerateStackRoots())
            {
                yield return new Seed(root.Object.Address, LeakRootKind.ThreadStack, name);
            }
        }
    }

    /// <summary>
    /// Threads with a frame of the plugin's code on their stack: the collector keeps the LoaderAllocator of running
    /// code alive, which no object reference shows.
    /// </summary>
    private List<LeakRoot> RunningPluginCode()
    {
        var roots = new List<LeakRoot>();
        foreach (ClrThread thread in runtime.Threads.Where(t => t.IsAlive))
        {
            var frames = thread.EnumerateStackTrace().Select(f => f.Method).OfType<ClrMethod>().ToList();
            int first = frames.FindIndex(m => m.Type is ClrType type && IsPluginType(type));
            if (first >= 0)
            {
                // Innermost frame first in ClrMD's order; the chain reads from the thread's start to the plugin's frame.
                List<string> chain = [.. frames.Skip(first).Take(6).Select(m => $"{m.Type?.Name}.{m.Name}()").Reverse()];
                roots.Add(new LeakRoot(LeakRootKind.ThreadStack,
                    $"stack of thread {thread.ManagedThreadId} (OS thread {thread.OSThreadId}{ThreadName(thread.OSThreadId)}), running the plugin's code", chain));
            }
        }
        return roots;
    }

    private IEnumerable<Seed> FinalizerQueue() =>
        _heap.EnumerateFinalizerRoots().Select(r => new Seed(r.Object.Address, LeakRootKind.FinalizerQueue, "the finalizer queue (an object whose finalizer has not run yet)"));

    private IEnumerable<Seed> Handles() =>
        runtime.EnumerateHandles().Where(h => IsRoot(h) && h.Address != markerHandle).Select(h => h.HandleKind is ClrHandleKind.Pinned or ClrHandleKind.AsyncPinned
            ? new Seed(h.Object.Address, LeakRootKind.PinnedHandle, $"pinned GC handle 0x{h.Address:x}")
            : new Seed(h.Object.Address, LeakRootKind.StrongHandle, $"{h.HandleKind.ToString().ToLowerInvariant()} GC handle 0x{h.Address:x}"));

    // Only the kinds the collector treats as roots: ClrMD's IsStrong also admits kinds it does not know (such as the
    // weak interior-pointer handles the LoaderAllocator keeps for its own RuntimeTypes), which would be false roots.
    private static bool IsRoot(ClrHandle handle) => handle.HandleKind switch
    {
        ClrHandleKind.Strong or ClrHandleKind.Pinned or ClrHandleKind.AsyncPinned or ClrHandleKind.SizedRef => true,
        ClrHandleKind.RefCounted => handle.ReferenceCount > 0,
        _ => false,
    };

    private static string AssemblyName(ClrModule module) =>
        module.AssemblyName is { Length: > 0 } name ? Path.GetFileNameWithoutExtension(name) : module.Name is { Length: > 0 } file ? Path.GetFileNameWithoutExtension(file) : "?";

    private static string ThreadName(uint osThreadId)
    {
        if (!OperatingSystem.IsLinux())
        {
            return "";
        }
        try
        {
            return $" '{File.ReadAllText($"/proc/self/task/{osThreadId}/comm").Trim()}'";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    private readonly record struct Seed(ulong Object, LeakRootKind Kind, string Root);
}
