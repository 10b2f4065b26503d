using System.Reflection;
using BenchmarkDotNet.Attributes;
using Plugboard.Benchmarks.Native;
using Plugboard.Native;

namespace Plugboard.Benchmarks;

/// <summary>
/// Host → native through a contract: <see cref="IBenchCounter.Add"/> on a C plugin (bench-contract, thread-safe) through
/// the proxy <c>plugboard bindgen --lang csharp-host</c> generates, beside the same function of the same table called
/// by hand through a raw <c>delegate* unmanaged</c> (status checked, no gate, no token): inlined into the loop (the
/// limit, whose P/Invoke frame the JIT sets up once per 1024 calls) and from a method of its own per call, the shape
/// of the proxy's <c>Add</c>, which pays the frame on every call.
/// </summary>
[MemoryDiagnoser]
[IterationCount(9)]
public unsafe class ContractProxyBenchmarks
{
    public const int Ops = 1024;

    private NativePlugin _plugin = null!;
    private BenchCounterProxy _proxy = null!;
    private delegate* unmanaged[Cdecl]<nint, long, long*, int> _raw;

    public static string PluginDirectory => Path.Combine(
        typeof(ContractProxyBenchmarks).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "NativePluginsDirectory").Value!, "bench-contract");

    public static bool Available => File.Exists(Path.Combine(PluginDirectory, OperatingSystem.IsWindows() ? "bench-contract.dll" : OperatingSystem.IsMacOS() ? "libbench-contract.dylib" : "libbench-contract.so"));

    [GlobalSetup]
    public void Setup()
    {
        _plugin = new NativePluginLoader(BenchCounterProxy.Expect(new NativePluginLoaderOptions())).Load(PluginDirectory);
        _proxy = BenchCounterProxy.Create(_plugin);
        var table = (byte*)_plugin.GetInterface(BenchCounterProxy.Id);
        _raw = *(delegate* unmanaged[Cdecl]<nint, long, long*, int>*)(table + 8);
        if (RawAdd() <= 0 || _proxy.Add(1) <= 0)
        {
            throw new InvalidOperationException("the contract plugin did not answer");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _plugin.Dispose();

    /// <summary>The limit: the table's function through a function pointer.</summary>
    [Benchmark(OperationsPerInvoke = Ops)]
    public long RawFunctionPointer()
    {
        long sum = 0;
        for (int i = 0; i < Ops; i++)
        {
            sum += RawAdd();
        }
        return sum;
    }

    /// <summary>The same raw call from a method of its own per call (not inlined): the transition into native code per call, as any method that wraps the call pays it.</summary>
    [Benchmark(OperationsPerInvoke = Ops)]
    public long RawFunctionPointerCall()
    {
        long sum = 0;
        for (int i = 0; i < Ops; i++)
        {
            sum += RawAddCall();
        }
        return sum;
    }

    /// <summary>Plugboard: the generated proxy's <c>Add</c> (table check, call gate, call token, typed errors).</summary>
    [Benchmark(OperationsPerInvoke = Ops)]
    public long GeneratedProxy()
    {
        long sum = 0;
        for (int i = 0; i < Ops; i++)
        {
            sum += _proxy.Add(1);
        }
        return sum;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private long RawAddCall() => RawAdd();

    private long RawAdd()
    {
        long result;
        if (_raw(0, 1, &result) < 0)
        {
            throw new InvalidOperationException("add failed");
        }
        return result;
    }
}
