using Plugboard.Native.Calls;
using Plugboard.Native.Internal;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using Plugboard.Native;

namespace Plugboard.Benchmarks;

/// <summary>
/// Host → native plugin (C, ABI 1) and native plugin → host calls. The limit is the same ABI call made by hand: the
/// plugin's <c>invoke</c> through a <c>delegate* unmanaged</c> with a minimal output sink, on a private copy of the
/// library (its own globals), with a host table whose <c>get_interface</c> returns the same host function.
/// </summary>
[MemoryDiagnoser]
[IterationCount(9)]
public unsafe class NativeBenchmarks
{
    public const int Ops = 1024;

    private static readonly nint HostTable = CreateHostTable();
    private readonly byte[] _output = new byte[16];
    private readonly byte[] _count = BitConverter.GetBytes(Ops);
    private NativePluginLoader _loader = null!;
    private NativePlugin _plugin = null!;
    private nint _rawLibrary;
    private int _counter;
    private AbiPluginDescriptor* _raw;
    private AbiHostTable* _rawHost;
    private InvokeDelegate _delegate = null!;

    public static string PluginDirectory => Path.Combine(
        typeof(NativeBenchmarks).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "NativePluginsDirectory").Value!, "bench-native");

    public static bool Available => File.Exists(Path.Combine(PluginDirectory, LibraryName));

    private static string LibraryName => OperatingSystem.IsWindows() ? "bench-native.dll" : OperatingSystem.IsMacOS() ? "libbench-native.dylib" : "libbench-native.so";

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int InvokeDelegate(nint pluginContext, nint callContext, byte* op, nuint opLength, byte* input, nuint inputLength, nint sinkContext, nint sinkWrite);

    [GlobalSetup]
    public void Setup()
    {
        var options = new NativePluginLoaderOptions();
        options.Interfaces.Register("bench.host/1", HostTable);
        _loader = new NativePluginLoader(options);
        _plugin = _loader.Load(PluginDirectory);

        // The raw limit on a private copy of the library, so its globals are its own.
        string copy = Path.Combine(Path.GetTempPath(), $"bench-native-raw-{Environment.ProcessId}-{Guid.NewGuid():N}{Path.GetExtension(LibraryName)}");
        File.Copy(Path.Combine(PluginDirectory, LibraryName), copy);
        _rawLibrary = NativeLibrary.Load(copy);
        try
        {
            File.Delete(copy); // the mapping stays; nothing is left in the temp folder (Windows refuses: then it stays)
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
        var entry = (delegate* unmanaged[Cdecl]<AbiHostTable*, AbiPluginDescriptor*>)NativeLibrary.GetExport(_rawLibrary, "plugboard_entry_v1");
        _rawHost = (AbiHostTable*)NativeMemory.AllocZeroed((nuint)sizeof(AbiHostTable));
        *_rawHost = new AbiHostTable
        {
            Magic = AbiConstants.HostMagic, StructSize = (uint)sizeof(AbiHostTable), AbiMajor = AbiConstants.AbiMajor, AbiMinor = AbiConstants.AbiMinor,
            GetInterface = &RawGetInterface,
        };
        _raw = entry(_rawHost);
        if (_raw->Init(_raw->PluginContext, _rawHost) != 0)
        {
            throw new InvalidOperationException("the raw copy of the native plugin failed to initialize");
        }
        t_state = 1; // any value: the plugin ignores call_ctx; threads that never set it read 0 at the same cost
        _delegate = Marshal.GetDelegateForFunctionPointer<InvokeDelegate>((nint)_raw->Invoke);
        if (PlugboardPing() != 4 || RawPing() != 4 || RawPingCall() != 4 || ThreadStaticPing() != 4 || TokenPing() != 4 || DelegatePing() != 4 || PlugboardCallbacks() == 0 || RawCallbacks() == 0)
        {
            throw new InvalidOperationException("the native plugin did not answer");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _plugin.Dispose();
        _raw->Shutdown(_raw->PluginContext);
    }

    /// <summary>The limit: the plugin's invoke through a function pointer, with a minimal sink.</summary>
    [Benchmark(OperationsPerInvoke = Ops)]
    public int RawFunctionPointer()
    {
        int sum = 0;
        for (int i = 0; i < Ops; i++)
        {
            sum += RawPing();
        }
        return sum;
    }

    /// <summary>
    /// The limit's call made from a method of its own for every call, the shape <c>NativePlugin.Invoke</c> has: the
    /// P/Invoke frame is set up per call (inlined into the loop above, it is set up once per 1024 calls). The baseline
    /// the per-call token is measured against.
    /// </summary>
    [Benchmark(OperationsPerInvoke = Ops)]
    public int RawFunctionPointerCall()
    {
        int sum = 0;
        for (int i = 0; i < Ops; i++)
        {
            sum += RawPingCall();
        }
        return sum;
    }

    /// <summary>
    /// <see cref="RawFunctionPointerCall"/> plus only what the per-call token adds: a call frame entered and left on this
    /// thread (a fresh token, the frame linked and its plugin published, after one thread-local read), the token as
    /// <c>call_ctx</c> and <c>out_ctx</c>, and the host's token-checked sink instead of the minimal one. Each call is a
    /// method of its own, as in <see cref="RawFunctionPointerCall"/>: inlined into the loop, the thread-local read
    /// would be hoisted out of it and paid once per 1024 calls, which <c>NativePlugin.Invoke</c> never gets.
    /// </summary>
    [Benchmark(OperationsPerInvoke = Ops)]
    public int RawWithCallToken()
    {
        int sum = 0;
        for (int i = 0; i < Ops; i++)
        {
            sum += TokenPing();
        }
        return sum;
    }

    /// <summary>
    /// <see cref="RawFunctionPointerCall"/> plus one <c>[ThreadStatic]</c> read (its value passed as <c>call_ctx</c>, so
    /// it is not dropped): what reaching this thread's call state costs alone, the part of the token that is left.
    /// </summary>
    [Benchmark(OperationsPerInvoke = Ops)]
    public int RawWithThreadStatic()
    {
        int sum = 0;
        for (int i = 0; i < Ops; i++)
        {
            sum += ThreadStaticPing();
        }
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Ops)]
    public int MarshalDelegate()
    {
        int sum = 0;
        for (int i = 0; i < Ops; i++)
        {
            sum += DelegatePing();
        }
        return sum;
    }

    /// <summary>Plugboard: <c>NativePlugin.Invoke(op, input, Span output, 0)</c>.</summary>
    [Benchmark(OperationsPerInvoke = Ops)]
    public int Plugboard()
    {
        int sum = 0;
        for (int i = 0; i < Ops; i++)
        {
            sum += PlugboardPing();
        }
        return sum;
    }

    /// <summary>What counting a call in flight costs on this machine: one interlocked increment and decrement.</summary>
    [Benchmark(OperationsPerInvoke = Ops)]
    public int InterlockedPair()
    {
        int sum = 0;
        for (int i = 0; i < Ops; i++)
        {
            sum += Interlocked.Increment(ref _counter);
            Interlocked.Decrement(ref _counter);
        }
        return sum;
    }

    /// <summary>native → host: one invoke in which the plugin calls the host's function <see cref="Ops"/> times (raw host table).</summary>
    [Benchmark(OperationsPerInvoke = Ops)]
    public int RawCallbacks()
    {
        fixed (byte* op = "callback"u8)
        fixed (byte* input = _count)
        fixed (byte* output = _output)
        {
            var sink = new RawSink { Buffer = output, Capacity = _output.Length };
            return _raw->Invoke(_raw->PluginContext, 0, op, 8, input, 4, (nint)(&sink), &RawWrite) + sink.Length;
        }
    }

    /// <summary>native → host through Plugboard: the function the host registered in <c>NativeHostInterfaces</c>.</summary>
    [Benchmark(OperationsPerInvoke = Ops)]
    public int PlugboardCallbacks() => _plugin.Invoke("callback"u8, _count, _output, 0);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int RawPing()
    {
        fixed (byte* op = "ping"u8)
        fixed (byte* output = _output)
        {
            var sink = new RawSink { Buffer = output, Capacity = _output.Length };
            int status = _raw->Invoke(_raw->PluginContext, 0, op, 4, null, 0, (nint)(&sink), &RawWrite);
            return status < 0 ? status : sink.Length;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private int RawPingCall() => RawPing();

    [ThreadStatic]
    private static nint t_state;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private int ThreadStaticPing()
    {
        nint state = t_state;
        fixed (byte* op = "ping"u8)
        fixed (byte* output = _output)
        {
            var sink = new RawSink { Buffer = output, Capacity = _output.Length };
            int status = _raw->Invoke(_raw->PluginContext, state, op, 4, null, 0, (nint)(&sink), &RawWrite);
            return status < 0 ? status : sink.Length;
        }
    }

    // As NativePlugin.Invoke: the frame is zeroed once, explicitly, not also by the prolog.
    [MethodImpl(MethodImplOptions.NoInlining)]
    [SkipLocalsInit]
    private int TokenPing()
    {
        fixed (byte* op = "ping"u8)
        fixed (byte* output = _output)
        {
            CallFrame frame = default;
            frame.Buffer = output;
            frame.Capacity = _output.Length;
            frame.Limit = int.MaxValue;
            ThreadCalls* calls = CallFrames.Enter(&frame, 1, out _);
            int status = _raw->Invoke(_raw->PluginContext, frame.Token, op, 4, null, 0, frame.Token, CallSink.WriteAddress);
            CallFrames.Exit(calls, &frame);
            return status < 0 ? status : frame.Length;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int DelegatePing()
    {
        fixed (byte* op = "ping"u8)
        fixed (byte* output = _output)
        {
            var sink = new RawSink { Buffer = output, Capacity = _output.Length };
            int status = _delegate(_raw->PluginContext, 0, op, 4, null, 0, (nint)(&sink), (nint)(delegate* unmanaged[Cdecl]<nint, byte*, nuint, int>)&RawWrite);
            return status < 0 ? status : sink.Length;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int PlugboardPing() => _plugin.Invoke("ping"u8, default, _output, 0);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Echo(int x) => x;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static nint RawGetInterface(nint hostContext, byte* id, nuint idLength) =>
        new ReadOnlySpan<byte>(id, (int)idLength).SequenceEqual("bench.host/1"u8) ? HostTable : 0;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int RawWrite(nint sinkContext, byte* data, nuint length)
    {
        var sink = (RawSink*)sinkContext;
        if ((int)length > sink->Capacity - sink->Length)
        {
            return -7;
        }
        new ReadOnlySpan<byte>(data, (int)length).CopyTo(new Span<byte>(sink->Buffer + sink->Length, sink->Capacity - sink->Length));
        sink->Length += (int)length;
        return 0;
    }

    private static nint CreateHostTable()
    {
        var table = (nint*)NativeMemory.Alloc((nuint)sizeof(nint));
        table[0] = (nint)(delegate* unmanaged[Cdecl]<int, int>)&Echo;
        return (nint)table;
    }

    private struct RawSink
    {
        public byte* Buffer;
        public int Capacity;
        public int Length;
    }

}
