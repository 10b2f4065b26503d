using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Plugboard.Benchmarks;

/// <summary>
/// Host → native calls measured in pairs, for the differences of a few nanoseconds that BenchmarkDotNet's rows cannot
/// settle on a shared machine (their iterations, seconds apart, spread by more than the difference being measured).
/// Each round times blocks of the raw call, the raw call from a method of its own, and <c>NativePlugin.Invoke</c>, the
/// three back to back in a rotating order, many times; a round's figure for each is the median of its blocks, and the
/// differences and ratios are taken within a round, so a burst of the machine's noise falls on all three alike. The
/// rounds run in several processes and are pooled: where the JIT places code moves a call of 20 ns by a nanosecond or
/// two from one process to the next, which one process would report as a property of the code. The subjects are
/// <see cref="NativeBenchmarks"/>' own benchmark methods (1024 calls each), on its set-up.
/// </summary>
/// <param name="Processes">Processes the rounds ran in.</param>
/// <param name="CallsPerBlock">Calls per timed block.</param>
/// <param name="BlocksPerRound">Timed blocks per subject per round.</param>
/// <param name="Raw">Per round: nanoseconds per call, raw <c>delegate* unmanaged</c> inlined into the loop (the limit).</param>
/// <param name="RawPerMethod">Per round: nanoseconds per call, that raw call from a method of its own per call (the shape of <c>Invoke</c>).</param>
/// <param name="Invoke">Per round: nanoseconds per call, Plugboard <c>NativePlugin.Invoke(op, input, span, 0)</c>.</param>
internal sealed record NativeCallPairs(int Processes, int CallsPerBlock, int BlocksPerRound, List<double> Raw, List<double> RawPerMethod, List<double> Invoke)
{
    /// <summary>The argument that makes this program one process of <see cref="MeasureInProcesses"/>.</summary>
    public const string ChildArgument = "--native-pairs-child";

    /// <summary>
    /// Per round, what all of <c>Invoke</c> adds to the raw call of the same shape, in nanoseconds: the call gate, the
    /// frame, the per-call token (minted, published, checked by the sink) and the status checks. An upper bound on the token.
    /// </summary>
    public List<double> InvokeAdds => [.. Invoke.Zip(RawPerMethod, (invoke, raw) => invoke - raw)];

    /// <summary>Per round, <c>Invoke</c> over the raw limit.</summary>
    public List<double> InvokeRatios => [.. Invoke.Zip(Raw, (invoke, raw) => invoke / raw)];

    /// <summary>
    /// Runs <paramref name="processes"/> child processes of this program one after the other and pools their rounds;
    /// 0 measures in this process (a smoke run, and a harness hosted by a test runner, which cannot start this program).
    /// </summary>
    public static NativeCallPairs MeasureInProcesses(int processes, int rounds, int blocksPerRound, int invocationsPerBlock)
    {
        if (processes <= 0)
        {
            return Measure(rounds, blocksPerRound, invocationsPerBlock);
        }
        var pooled = new NativeCallPairs(processes, invocationsPerBlock * NativeBenchmarks.Ops, blocksPerRound, [], [], []);
        string self = Environment.ProcessPath ?? throw new InvalidOperationException("the harness cannot find its own executable");
        string dll = typeof(NativeCallPairs).Assembly.Location;
        for (int p = 0; p < processes; p++)
        {
            var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
            if (string.Equals(Path.GetFileNameWithoutExtension(self), "dotnet", StringComparison.OrdinalIgnoreCase))
            {
                start.ArgumentList.Add(dll);
            }
            foreach (string arg in new[] { ChildArgument, $"{rounds}", $"{blocksPerRound}", $"{invocationsPerBlock}" })
            {
                start.ArgumentList.Add(arg);
            }
            using Process child = Process.Start(start)!;
            string output = child.StandardOutput.ReadToEnd();
            if (!child.WaitForExit(TimeSpan.FromMinutes(2)) || child.ExitCode != 0)
            {
                throw new InvalidOperationException($"the native pairs process failed (exit {(child.HasExited ? child.ExitCode : -1)}): {output}");
            }
            NativeCallPairs one = JsonSerializer.Deserialize<NativeCallPairs>(output.Trim())
                ?? throw new InvalidOperationException($"the native pairs process wrote no result: {output}");
            pooled.Raw.AddRange(one.Raw);
            pooled.RawPerMethod.AddRange(one.RawPerMethod);
            pooled.Invoke.AddRange(one.Invoke);
        }
        return pooled;
    }

    /// <summary>The child's side: measures, prints the result as JSON on one line.</summary>
    public static int RunChild(string[] args)
    {
        int Arg(int i) => int.Parse(args[i], CultureInfo.InvariantCulture);
        Console.WriteLine(JsonSerializer.Serialize(Measure(Arg(1), Arg(2), Arg(3))));
        return 0;
    }

    /// <summary>Runs <paramref name="rounds"/> measured rounds in this process after a warm-up long enough for every subject to reach optimized code.</summary>
    public static NativeCallPairs Measure(int rounds, int blocksPerRound, int invocationsPerBlock)
    {
        var bench = new NativeBenchmarks();
        bench.Setup();
        try
        {
            Func<int>[] subjects = [bench.RawFunctionPointer, bench.RawFunctionPointerCall, bench.Plugboard];
            // Tiered compilation promotes a method after 30 calls and compiles it in the background after a pause of
            // 100 ms: call each subject often, then wait, twice, before anything is timed.
            for (int warm = 0; warm < 2; warm++)
            {
                foreach (Func<int> subject in subjects)
                {
                    for (int i = 0; i < 200; i++)
                    {
                        Check(subject());
                    }
                }
                Thread.Sleep(300);
            }
            var result = new NativeCallPairs(1, invocationsPerBlock * NativeBenchmarks.Ops, blocksPerRound, [], [], []);
            List<double>[] perRound = [result.Raw, result.RawPerMethod, result.Invoke];
            var blocks = new List<double>[subjects.Length];
            for (int round = -1; round < rounds; round++)
            {
                for (int k = 0; k < subjects.Length; k++)
                {
                    blocks[k] = new List<double>(blocksPerRound);
                }
                for (int b = 0; b < blocksPerRound; b++)
                {
                    for (int k = 0; k < subjects.Length; k++)
                    {
                        int subject = (k + b + round + 1) % subjects.Length;
                        blocks[subject].Add(Time(subjects[subject], invocationsPerBlock) / result.CallsPerBlock);
                    }
                }
                if (round >= 0)
                {
                    for (int k = 0; k < subjects.Length; k++)
                    {
                        perRound[k].Add(ColdLoadPairs.Percentile(blocks[k], 0.5));
                    }
                }
            }
            return result;
        }
        finally
        {
            bench.Cleanup();
        }
    }
    private static double Time(Func<int> subject, int invocations)
    {
        int sum = 0;
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < invocations; i++)
        {
            sum += subject();
        }
        double elapsed = Stopwatch.GetElapsedTime(start).TotalNanoseconds;
        Check(sum / invocations);
        return elapsed;
    }

    // Every subject answers "pong" (4 bytes) per call: a subject that stopped working must not look fast.
    private static void Check(int sum)
    {
        if (sum != 4 * NativeBenchmarks.Ops)
        {
            throw new InvalidOperationException($"a native call subject answered {sum}, not {4 * NativeBenchmarks.Ops}");
        }
    }
}
