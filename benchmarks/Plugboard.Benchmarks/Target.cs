namespace Plugboard.Benchmarks;

/// <summary>One line of the report's target table.</summary>
internal sealed record Target(string Scenario, string Goal, string Measured, Verdict Verdict);
