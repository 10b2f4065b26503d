namespace Plugboard.TestSupport;

/// <summary>
/// The collection for tests that measure something the whole process shares: managed heap size, working set, thread
/// or timer counts, wall-clock bounds, the number of collections needed to free something. xUnit runs this
/// collection after every parallel one has finished and runs its tests one at a time, so nothing else in the test
/// process allocates, starts threads or competes for the CPU while they measure. See tests/README.md.
/// </summary>
[Xunit.CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalMeasurement
{
    /// <summary>The collection's name, for <c>[Collection(GlobalMeasurement.Name)]</c>.</summary>
    public const string Name = "Global measurement (runs alone)";
}
