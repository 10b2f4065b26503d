namespace Plugboard.Isolation.Tests;

/// <summary>
/// The worker's warm-up (<see cref="Plugboard.Serving.WorkerWarmup"/>) ignores its own failures, so one that stopped
/// early would warm nothing without a sign: it must run to its end. What it is worth is measured by the supervision
/// benchmark (docs/isolation.md), not here.
/// </summary>
public sealed class WorkerWarmupTests
{
    [Fact]
    public void The_workers_warm_up_runs_to_its_end() => Assert.Null(Plugboard.Serving.WorkerWarmup.Warm());
}
