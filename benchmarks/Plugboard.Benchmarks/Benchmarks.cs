using BenchmarkDotNet.Attributes;
using McMaster.NETCore.Plugins;
using Plugboard.Benchmarks.Api;

namespace Plugboard.Benchmarks;

/// <summary>Sizes and counts, shrunk by --smoke.</summary>
internal static class Settings
{
    public static int[] DiscoverySizes { get; set; } = [10, 100, 1000];
}

/// <summary>
/// Discovery of N plugins: Plugboard reads metadata; McMaster and MEF must load every assembly. One warm-up: an
/// operation takes up to seconds (McMaster, N = 1000), and discovery is a start-up job, not a hot loop.
/// </summary>
[MemoryDiagnoser]
[WarmupCount(1)]
public class DiscoveryBenchmarks
{
    private string _directory = "";
    private PluginHost<IBenchPlugin> _host = null!;

    public static IEnumerable<int> Sizes => Settings.DiscoverySizes;

    [ParamsSource(nameof(Sizes))]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _directory = PluginFarm.Get(N);
        _host = new PluginHost<IBenchPlugin>();
    }

    [Benchmark]
    public int McMaster() => Expect(Peers.McMasterDiscover(_directory));

    [Benchmark]
    public int Mef() => Expect(Peers.MefDiscover(_directory));

    [Benchmark]
    public int Plugboard() => Expect(_host.Discover(_directory).Compatible.Count());

    private int Expect(int found) => found == N ? found : throw new InvalidOperationException($"found {found} of {N} plugins");
}

/// <summary>
/// Cold load + first call of one plugin. Every invocation loads a different plugin (distinct assembly) into a new
/// context; the iteration's plugins are unloaded after it, outside the measurement. 15 iterations: a load is
/// dominated by system calls (file reads, memory mapping), which a busy shared machine makes noisy.
/// </summary>
[MemoryDiagnoser]
[InvocationCount(PoolSize, 1)]
[IterationCount(15)]
public class ColdLoadBenchmarks
{
    public const int PoolSize = 32;
    private readonly List<RawPluginContext> _raw = [];
    private readonly List<PluginLoader> _mcmaster = [];
    private string _directory = "";
    private string[] _mains = [];
    private PluginCatalogEntry[] _entries = [];
    private PluginHost<IBenchPlugin> _host = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _directory = PluginFarm.Get(PoolSize, first: 900_001);
        _mains = [.. Enumerable.Range(900_001, PoolSize).Select(i => PluginFarm.MainFile(_directory, i))];
        _host = new PluginHost<IBenchPlugin>();
        _entries = [.. _host.Discover(_directory).Entries];
    }

    [IterationSetup]
    public void Reset()
    {
        _next = 0;
        // A catalog made before each iteration, as a host discovers and then loads: each load takes the bytes its
        // entry's discovery read (one reading per load). A loaded-and-unloaded entry has none left, so loading it again
        // would read the folder again, which the inspect-and-load row measures.
        _entries = [.. _host.Discover(_directory).Entries];
    }

    [IterationCleanup]
    public void Cleanup()
    {
        _raw.ForEach(c => c.Unload());
        _raw.Clear();
        _mcmaster.ForEach(l => l.Dispose());
        _mcmaster.Clear();
        _host.UnloadAllAsync().GetAwaiter().GetResult();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    /// <summary>The limit: AssemblyLoadContext + AssemblyDependencyResolver, entry type known.</summary>
    [Benchmark]
    public int RawRuntime()
    {
        (RawPluginContext context, IBenchPlugin instance) = RawPluginContext.Load(_mains[_next++ % PoolSize]);
        _raw.Add(context);
        return instance.Compute(1);
    }

    [Benchmark]
    public int McMaster()
    {
        (PluginLoader loader, IBenchPlugin instance) = Peers.McMasterLoad(_mains[_next++ % PoolSize]);
        _mcmaster.Add(loader);
        return instance.Compute(1);
    }

    /// <summary>Plugboard from a catalog entry (discovery already done, as a host does at start-up).</summary>
    [Benchmark]
    public int Plugboard()
    {
        LoadedPlugin<IBenchPlugin> plugin = _host.LoadAsync(_entries[_next++ % PoolSize]).GetAwaiter().GetResult();
        return plugin.Invoke(static p => p.Compute(1));
    }

    /// <summary>Plugboard including the inspection of the plugin's folder (metadata + compatibility check).</summary>
    [Benchmark]
    public int PlugboardInspectAndLoad()
    {
        string folder = Path.GetDirectoryName(_mains[_next++ % PoolSize])!;
        LoadedPlugin<IBenchPlugin> plugin = _host.LoadAsync(_host.Inspect(folder)).GetAwaiter().GetResult();
        return plugin.Invoke(static p => p.Compute(1));
    }
}

/// <summary>
/// Steady-state calls host → plugin through the shared interface, and plugin → host callbacks. Each benchmark has its
/// own loop, so each call site gets its own profile (dynamic PGO would otherwise mix the receivers of all of them).
/// </summary>
[MemoryDiagnoser]
[IterationCount(9)]
public class CallBenchmarks
{
    public const int Ops = 1024;
    private static int s_argument = 7;
    private readonly List<IDisposable> _loaders = [];
    private IBenchPlugin _hostType = null!;
    private IBenchPlugin _raw = null!;
    private IBenchPlugin _rawNonCollectible = null!;
    private IBenchPlugin _rawFromStream = null!;
    private IBenchPlugin _mcmaster = null!;
    private IBenchPlugin _plugboard = null!;
    private LoadedPlugin<IBenchPlugin> _plugin = null!;
    private IBenchHost _callbackTarget = null!;
    private PluginHost<IBenchPlugin> _host = null!;
    private RawPluginContext? _rawContext;

    [GlobalSetup]
    public void Setup()
    {
        string directory = PluginFarm.Get(5, first: 800_001);
        _hostType = new HostCalculator();
        _callbackTarget = new BenchHost();
        (_rawContext, _raw) = RawPluginContext.Load(PluginFarm.MainFile(directory, 800_001));
        // Collectible and loaded from memory with its pdb, as Plugboard loads: separates how it is loaded from who loaded it.
        var streamContext = new System.Runtime.Loader.AssemblyLoadContext("bench-from-stream", isCollectible: true);
        string streamMain = PluginFarm.MainFile(directory, 800_005);
        using (var image = new MemoryStream(File.ReadAllBytes(streamMain)))
        using (var symbols = new MemoryStream(File.ReadAllBytes(Path.ChangeExtension(streamMain, ".pdb"))))
        {
            _rawFromStream = (IBenchPlugin)Activator.CreateInstance(streamContext.LoadFromStream(image, symbols).GetType(PluginFarm.EntryTypeName, throwOnError: true)!)!;
        }
        // Not collectible: shows what collectibility itself costs a call (the JIT does not devirtualize to collectible types).
        var fixedContext = new System.Runtime.Loader.AssemblyLoadContext("bench-non-collectible", isCollectible: false);
        _rawNonCollectible = (IBenchPlugin)Activator.CreateInstance(fixedContext.LoadFromAssemblyPath(PluginFarm.MainFile(directory, 800_004))
            .GetType(PluginFarm.EntryTypeName, throwOnError: true)!)!;
        (PluginLoader loader, _mcmaster) = Peers.McMasterLoad(PluginFarm.MainFile(directory, 800_002));
        _loaders.Add(loader);
        _host = new PluginHost<IBenchPlugin>();
        _plugin = _host.LoadAsync(_host.Inspect(Path.Combine(directory, PluginFarm.NameOf(800_003)))).GetAwaiter().GetResult();
        _plugboard = _plugin.Instances[0];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _host.UnloadAllAsync().GetAwaiter().GetResult();
        _loaders.ForEach(l => l.Dispose());
        _rawContext?.Unload();
    }

    /// <summary>The limit: the same interface call on a type inside the host.</summary>
    [Benchmark(OperationsPerInvoke = Ops)]
    public int HostType()
    {
        IBenchPlugin target = _hostType;
        int sum = 0;
        for (int i = 0; i < Ops; i++)
        {
            sum += target.Compute(i);
        }
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Ops)]
    public int RawRuntime()
    {
        IBenchPlugin target = _raw;
        int sum = 0;
        for (int i = 0; i < Ops; i++)
        {
            sum += target.Compute(i);
        }
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Ops)]
    public int RawFromStream()
    {
        IBenchPlugin target = _rawFromStream;
        int sum = 0;
        for (int i = 0; i < Ops; i++)
        {
            sum += target.Compute(i);
        }
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Ops)]
    public int RawNonCollectible()
    {
        IBenchPlugin target = _rawNonCollectible;
        int sum = 0;
        for (int i = 0; i < Ops; i++)
        {
            sum += target.Compute(i);
        }
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Ops)]
    public int McMaster()
    {
        IBenchPlugin target = _mcmaster;
        int sum = 0;
        for (int i = 0; i < Ops; i++)
        {
            sum += target.Compute(i);
        }
        return sum;
    }

    /// <summary>Plugboard, the instance held directly (plugin.Instances[0]).</summary>
    [Benchmark(OperationsPerInvoke = Ops)]
    public int PlugboardInstance()
    {
        IBenchPlugin target = _plugboard;
        int sum = 0;
        for (int i = 0; i < Ops; i++)
        {
            sum += target.Compute(i);
        }
        return sum;
    }

    /// <summary>Plugboard through plugin.Invoke: a lease per call, so reloads and unloads wait for it.</summary>
    [Benchmark(OperationsPerInvoke = Ops)]
    public int PlugboardInvoke()
    {
        LoadedPlugin<IBenchPlugin> plugin = _plugin;
        int sum = 0;
        for (int i = 0; i < Ops; i++)
        {
            sum += plugin.Invoke(static p => p.Compute(s_argument));
        }
        return sum;
    }

    /// <summary>Plugboard through an explicit lease per call (plugin.Acquire()).</summary>
    [Benchmark(OperationsPerInvoke = Ops)]
    public int PlugboardAcquire()
    {
        LoadedPlugin<IBenchPlugin> plugin = _plugin;
        int sum = 0;
        for (int i = 0; i < Ops; i++)
        {
            using PluginLease<IBenchPlugin> lease = plugin.Acquire();
            sum += lease.Instance.Compute(i);
        }
        return sum;
    }

    /// <summary>host → plugin → host: the limit, all in the host.</summary>
    [Benchmark(OperationsPerInvoke = Ops)]
    public int CallbackHostType()
    {
        IBenchPlugin target = _hostType;
        IBenchHost host = _callbackTarget;
        int sum = 0;
        for (int i = 0; i < Ops; i++)
        {
            sum += target.CallHost(host, i);
        }
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Ops)]
    public int CallbackPlugboard()
    {
        IBenchPlugin target = _plugboard;
        IBenchHost host = _callbackTarget;
        int sum = 0;
        for (int i = 0; i < Ops; i++)
        {
            sum += target.CallHost(host, i);
        }
        return sum;
    }
}
