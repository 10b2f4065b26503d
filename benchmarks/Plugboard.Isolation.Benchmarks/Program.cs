using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

if (args is [Plugboard.Isolation.Benchmarks.GrpcReference.ServerFlag, string socket, string pluginsRoot])
{
    return await Plugboard.Isolation.Benchmarks.GrpcReference.ServeAsync(socket, pluginsRoot);
}
if (args.Contains("--supervision"))
{
    return await Plugboard.Isolation.Benchmarks.SupervisionScenario.RunAsync();
}
if (args.Contains("--round-trip"))
{
    int json = Array.IndexOf(args, "--json");
    return await Plugboard.Isolation.Benchmarks.RoundTripScenario.RunAsync(json >= 0 && json + 1 < args.Length ? args[json + 1] : null);
}

// In-process toolchain: every column shares one process and the same noise; an out-of-process BenchmarkDotNet job
// would build a generated project per job (minutes on 2 cores).
IConfig config = DefaultConfig.Instance
    .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
    .WithOptions(ConfigOptions.DisableOptimizationsValidator)
    .AddLogicalGroupRules(BenchmarkLogicalGroupRule.ByCategory);
BenchmarkSwitcher.FromAssembly(typeof(Plugboard.Isolation.Benchmarks.CallBenchmarks).Assembly).Run(args, config);
return 0;
