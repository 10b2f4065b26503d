using BenchmarkDotNet.Attributes;
using IsolationApi;

namespace Plugboard.Isolation.Benchmarks;

/// <summary>One plugin, loaded twice: in process and out of process; the same calls through <see cref="LoadedPlugin{TContract}.Invoke{TResult}"/>.</summary>
[MemoryDiagnoser]
public class CallBenchmarks
{
    private PluginCopy _copy = null!;
    private PluginHost<IProbe> _inProcessHost = null!;
    private PluginHost<IProbe> _outOfProcessHost = null!;
    private LoadedPlugin<IProbe> _inProcess = null!;
    private LoadedPlugin<IProbe> _outOfProcess = null!;
    private GrpcReference.Client _grpc = null!;
    private readonly string _small = "x";
    private readonly string _large = new('x', 64 * 1024);
    private readonly Order _order = new("Ada", [.. Enumerable.Range(0, 64).Select(i => new OrderLine($"item {i}", i, i * 1.5m))]);

    [GlobalSetup]
    public void Setup()
    {
        _copy = new PluginCopy("bench");
        _inProcessHost = new PluginHost<IProbe>();
        _inProcess = LoadOne(_inProcessHost);
        var options = new PluginHostOptions();
        options.Isolation.Default = PluginIsolation.OutOfProcess;
        _outOfProcessHost = new PluginHost<IProbe>(options);
        _outOfProcess = LoadOne(_outOfProcessHost);
        _grpc = new GrpcReference.Client(_copy.Root);
    }

    private LoadedPlugin<IProbe> LoadOne(PluginHost<IProbe> host)
    {
        PluginLoadResult<IProbe> result = host.LoadAllAsync(host.Discover(_copy.Root)).GetAwaiter().GetResult();
        return result.Loaded.Count == 1 ? result.Loaded[0]
            : throw new InvalidOperationException($"The benchmark plugin did not load: {string.Join("; ", result.Failed.Select(f => f.Error.Message))}");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _inProcessHost.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _outOfProcessHost.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _grpc.Dispose();
        _copy.Dispose();
    }

    [Benchmark(Baseline = true), BenchmarkCategory("small string")]
    public string InProcessSmall() => _inProcess.Invoke(p => p.Echo(_small));

    [Benchmark, BenchmarkCategory("small string")]
    public string OutOfProcessSmall() => _outOfProcess.Invoke(p => p.Echo(_small));

    [Benchmark, BenchmarkCategory("small string")]
    public string GrpcSmall() => _grpc.Echo(_small);

    [Benchmark(Baseline = true), BenchmarkCategory("64 KB string")]
    public string InProcess64K() => _inProcess.Invoke(p => p.Echo(_large));

    [Benchmark, BenchmarkCategory("64 KB string")]
    public string OutOfProcess64K() => _outOfProcess.Invoke(p => p.Echo(_large));

    [Benchmark, BenchmarkCategory("64 KB string")]
    public string Grpc64K() => _grpc.Echo(_large);

    [Benchmark(Baseline = true), BenchmarkCategory("record of 64 lines")]
    public Receipt InProcessOrder() => _inProcess.Invoke(p => p.Tally(_order));

    [Benchmark, BenchmarkCategory("record of 64 lines")]
    public Receipt OutOfProcessOrder() => _outOfProcess.Invoke(p => p.Tally(_order));
}
