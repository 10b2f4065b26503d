namespace Plugboard.Benchmarks;

/// <summary>What one run says about a target.</summary>
internal enum Verdict
{
    /// <summary>The scenario has no target: its figure is reported only.</summary>
    None,

    /// <summary>Met by the whole spread of the compared figures, not only by their medians.</summary>
    Met,

    /// <summary>Missed by the whole spread.</summary>
    Missed,

    /// <summary>The spreads of the compared figures overlap the target: this run cannot say.</summary>
    NotEstablished,
}
