using System.Diagnostics;
using System.Reflection;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Plugboard.Benchmarks;

/// <summary>
/// One benchmark's figures: median time per operation, bytes allocated per operation, and the spread of the measured
/// iterations (fastest and slowest), which decides whether a comparison is established.
/// </summary>
internal sealed record Row(string Class, string Method, int? N, double MedianNanoseconds, double? AllocatedBytes, double? LowNanoseconds = null, double? HighNanoseconds = null)
{
    /// <summary>The fastest measured iteration (the median when the spread is unknown).</summary>
    public double Low => LowNanoseconds ?? MedianNanoseconds;

    /// <summary>The slowest measured iteration (the median when the spread is unknown).</summary>
    public double High => HighNanoseconds ?? MedianNanoseconds;
}

/// <summary>Runs the BenchmarkDotNet classes (or, for --smoke, calls each benchmark once) and returns their rows.</summary>
internal static class Measured
{
    /// <summary>The BenchmarkDotNet classes; the native one only when its C plugin was built (a C compiler was found).</summary>
    public static Type[] Classes => NativeBenchmarks.Available
        ? [typeof(DiscoveryBenchmarks), typeof(ColdLoadBenchmarks), typeof(CallBenchmarks), typeof(NativeBenchmarks), .. ContractProxyBenchmarks.Available ? new[] { typeof(ContractProxyBenchmarks) } : []]
        : [typeof(DiscoveryBenchmarks), typeof(ColdLoadBenchmarks), typeof(CallBenchmarks)];

    /// <summary>
    /// In-process (InProcessEmitToolchain), short job. In-process because an out-of-process run builds a generated project per
    /// job (a minute or more on this 2-core machine, through the package mirror) and because every column then shares one
    /// process, one JIT and one noisy machine, which is what the ratios need.
    /// </summary>
    public static IConfig Config(string artifacts) => ManualConfig.CreateEmpty()
        .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance).WithId("short-inprocess"))
        .AddDiagnoser(MemoryDiagnoser.Default)
        .AddColumnProvider(DefaultColumnProviders.Instance)
        .AddLogger(ConsoleLogger.Default)
        .WithArtifactsPath(artifacts)
        .WithOptions(ConfigOptions.DisableLogFile);

    public static List<Row> Run(string artifacts, Func<string, bool> include)
    {
        var rows = new List<Row>();
        foreach (Type type in Classes.Where(t => include(t.Name)))
        {
            Summary summary = BenchmarkRunner.Run(type, Config(artifacts));
            foreach (BenchmarkReport report in summary.Reports)
            {
                BenchmarkDotNet.Running.BenchmarkCase benchmark = report.BenchmarkCase;
                int? n = benchmark.Parameters.Items.FirstOrDefault(p => p.Name == "N")?.Value as int?;
                double median = report.ResultStatistics?.Median ?? double.NaN;
                long? allocated = report.GcStats.GetBytesAllocatedPerOperation(benchmark);
                rows.Add(new Row(type.Name, benchmark.Descriptor.WorkloadMethod.Name, n, median, allocated, report.ResultStatistics?.Min, report.ResultStatistics?.Max));
            }
            if (summary.HasCriticalValidationErrors)
            {
                throw new InvalidOperationException($"BenchmarkDotNet refused {type.Name}: {string.Join("; ", summary.ValidationErrors.Select(e => e.Message))}");
            }
        }
        return rows;
    }

    /// <summary>--smoke: every benchmark method once, through its setup and cleanup, timed by a stopwatch.</summary>
    public static List<Row> Smoke()
    {
        var rows = new List<Row>();
        foreach (Type type in Classes)
        {
            PropertyInfo? n = type.GetProperty("N");
            int[] sizes = n is null ? [0] : Settings.DiscoverySizes;
            foreach (int size in sizes)
            {
                object instance = Activator.CreateInstance(type)!;
                n?.SetValue(instance, size);
                Invoke<GlobalSetupAttribute>(instance);
                foreach (MethodInfo method in type.GetMethods().Where(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null))
                {
                    Invoke<IterationSetupAttribute>(instance);
                    int operations = method.GetCustomAttribute<BenchmarkAttribute>()!.OperationsPerInvoke;
                    long allocated = GC.GetAllocatedBytesForCurrentThread();
                    long start = Stopwatch.GetTimestamp();
                    method.Invoke(instance, null);
                    double elapsed = Stopwatch.GetElapsedTime(start).TotalNanoseconds / operations;
                    rows.Add(new Row(type.Name, method.Name, n is null ? null : size, elapsed, (double)(GC.GetAllocatedBytesForCurrentThread() - allocated) / operations));
                    Invoke<IterationCleanupAttribute>(instance);
                }
                Invoke<GlobalCleanupAttribute>(instance);
            }
        }
        return rows;
    }

    internal static void Invoke<TAttribute>(object instance) where TAttribute : Attribute
    {
        foreach (MethodInfo method in instance.GetType().GetMethods().Where(m => m.GetCustomAttribute<TAttribute>() is not null))
        {
            method.Invoke(instance, null);
        }
    }
}
