using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Plugboard.Benchmarks;

/// <summary>Instructions executed per call on one call path, counted by valgrind's callgrind.</summary>
/// <param name="Class">The benchmark class.</param>
/// <param name="Method">The benchmark method: the path's loop.</param>
/// <param name="PerCall">Instructions per call.</param>
/// <param name="Tier">How the JIT compiled the benchmark method in the counted run ("FullOpts", "MinOpts"; null when the JIT's list did not name it).</param>
internal sealed record InstructionCount(string Class, string Method, double PerCall, string? Tier)
{
    /// <summary>True when the path's loop ran as unoptimized code: its count says nothing of the code the timed run measures.</summary>
    public bool Unoptimized => Tier is not null && Tier != "FullOpts";
}

/// <summary>
/// Instruction counts of the call paths: stable on a shared machine where times are not (another process can slow a
/// core down, but it cannot change how many instructions a call executes). <c>benchmarks/run.sh</c> runs the harness a
/// second time under <c>valgrind --tool=callgrind --collect-atstart=no</c> with <c>--instructions-child</c>; that run
/// counts each path between two client requests (a small C shim) and callgrind writes one dump per path, which the
/// main run reads. Tiered compilation is off in that run: under valgrind the background tier-up does not settle within
/// any practical warm-up (counts moved 5× between runs), while fully optimized code from the first call counts the
/// same every time; dynamic PGO's devirtualization is therefore absent from these counts.
/// Caveat found under valgrind 3.19 with .NET 10.0.12: there, the JIT's fully optimized compile of every method that
/// makes a direct call to another managed method is cut short and the method is compiled again with MinOpts (with
/// <c>DOTNET_JitDisasm</c> such a method lists as "FullOpts", truncated before its first direct call, then as
/// "MinOpts"); the same methods compile fully optimized outside valgrind. So the counts of paths through such methods
/// (<c>Acquire</c>, <c>Invoke</c>, the native invoke, the raw call made from a method of its own) measure unoptimized code,
/// nothing inlined, and are not the code the timed run measures; only paths without such calls (the raw interface
/// calls) count optimized code. The counted run therefore lists every method the JIT compiles with its tier
/// (<c>DOTNET_JitDisasmSummary</c>, in <c>jit-tiers.txt</c> beside the dumps), and the report names the tier of each
/// path's loop instead of assuming it.
/// </summary>
internal static partial class Instructions
{
    /// <summary>The call paths counted, the same benchmark methods that BenchmarkDotNet times.</summary>
    public static readonly (Type Class, string Method)[] Paths =
    [
        (typeof(CallBenchmarks), "HostType"), (typeof(CallBenchmarks), "RawRuntime"), (typeof(CallBenchmarks), "McMaster"),
        (typeof(CallBenchmarks), "PlugboardInstance"), (typeof(CallBenchmarks), "PlugboardAcquire"), (typeof(CallBenchmarks), "PlugboardInvoke"),
        (typeof(NativeBenchmarks), "RawFunctionPointer"), (typeof(NativeBenchmarks), "RawFunctionPointerCall"), (typeof(NativeBenchmarks), "RawWithCallToken"), (typeof(NativeBenchmarks), "Plugboard"),
    ];

    /// <summary>Invocations of each benchmark method while counting (each one makes its class's <c>Ops</c> calls).</summary>
    private const int Invocations = 64;


    [LibraryImport("pb_callgrind", StringMarshalling = StringMarshalling.Utf8)]
    private static partial void pb_callgrind_start();

    [LibraryImport("pb_callgrind", StringMarshalling = StringMarshalling.Utf8)]
    private static partial void pb_callgrind_stop(string name);

    [LibraryImport("pb_callgrind")]
    private static partial int pb_callgrind_running();

    /// <summary>The child run under callgrind: counts every path once; the dumps are callgrind's output files.</summary>
    public static int RunChild(string shim)
    {
        NativeLibrary.SetDllImportResolver(typeof(Instructions).Assembly, (name, _, _) => name == "pb_callgrind" ? NativeLibrary.Load(shim) : 0);
        if (pb_callgrind_running() != 1)
        {
            Console.Error.WriteLine("--instructions-child must run under valgrind --tool=callgrind --collect-atstart=no");
            return 2;
        }
        foreach (IGrouping<Type, (Type Class, string Method)> group in Paths.GroupBy(p => p.Class))
        {
            if (group.Key == typeof(NativeBenchmarks) && !NativeBenchmarks.Available)
            {
                continue;
            }
            object instance = Activator.CreateInstance(group.Key)!;
            Measured.Invoke<BenchmarkDotNet.Attributes.GlobalSetupAttribute>(instance);
            foreach ((Type cls, string method) in group)
            {
                Func<int> call = group.Key.GetMethod(method)!.CreateDelegate<Func<int>>(instance);
                for (int i = 0; i < 4; i++)
                {
                    call(); // compiled (fully optimized: the run has tiered compilation off) and its first-call paths taken
                }
                pb_callgrind_start();
                for (int i = 0; i < Invocations; i++)
                {
                    call();
                }
                pb_callgrind_stop($"{cls.Name}.{method}");
            }
            Measured.Invoke<BenchmarkDotNet.Attributes.GlobalCleanupAttribute>(instance);
        }
        return 0;
    }

    /// <summary>Reads the dumps the child run left in <paramref name="directory"/>.</summary>
    public static List<InstructionCount> Read(string directory)
    {
        Dictionary<string, string> tiers = Tiers(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar))!, "jit-tiers.txt"));
        var counts = new List<InstructionCount>();
        foreach (string file in Directory.EnumerateFiles(directory))
        {
            string? name = null;
            ulong? total = null;
            foreach (string line in File.ReadLines(file))
            {
                if (line.StartsWith("desc: Trigger: Client Request: ", StringComparison.Ordinal))
                {
                    name = line["desc: Trigger: Client Request: ".Length..].Trim();
                }
                else if (line.StartsWith("summary: ", StringComparison.Ordinal) || line.StartsWith("totals: ", StringComparison.Ordinal))
                {
                    total = ulong.Parse(line[(line.IndexOf(' ') + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                }
            }
            if (name?.Split('.') is [string cls, string method] && total is ulong ir)
            {
                if (ir > long.MaxValue)
                {
                    // Callgrind's counters wrap below zero when collection is switched in the wrong order.
                    throw new InvalidOperationException($"callgrind's dump {file} for {name} holds a wrapped count ({ir}): the counts are void");
                }
                int ops = cls == nameof(NativeBenchmarks) ? NativeBenchmarks.Ops : CallBenchmarks.Ops;
                counts.Add(new InstructionCount(cls, method, (double)ir / (Invocations * ops), tiers.GetValueOrDefault($"{cls}:{method}")));
            }
        }
        return counts;
    }

    /// <summary>
    /// The tier the JIT last compiled each benchmark method with ("Class:Method" → "FullOpts" or "MinOpts"), from its
    /// summary lines such as <c>12: JIT compiled Plugboard.Benchmarks.CallBenchmarks:PlugboardInvoke():int:this [MinOpts, IL size=...]</c>;
    /// empty when the list is missing.
    /// </summary>
    private static Dictionary<string, string> Tiers(string file)
    {
        var tiers = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(file))
        {
            return tiers;
        }
        foreach (string line in File.ReadLines(file))
        {
            int compiled = line.IndexOf("JIT compiled Plugboard.Benchmarks.", StringComparison.Ordinal);
            int open = line.IndexOf('(', StringComparison.Ordinal);
            int tier = line.LastIndexOf('[');
            if (compiled < 0 || open < 0 || tier < open)
            {
                continue;
            }
            string name = line[(compiled + "JIT compiled Plugboard.Benchmarks.".Length)..open];
            string kind = line[(tier + 1)..].Split(',', ']')[0].Trim();
            tiers[name] = kind.Contains("FullOpts", StringComparison.Ordinal) || kind.StartsWith("Tier1", StringComparison.Ordinal) ? "FullOpts" : kind;
        }
        return tiers;
    }
}
