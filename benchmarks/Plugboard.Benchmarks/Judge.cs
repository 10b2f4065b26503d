namespace Plugboard.Benchmarks;

/// <summary>
/// Judges a comparison of two benchmark rows by their spreads (fastest and slowest measured iteration), so that a
/// median that happens to fall on one side of a limit is not reported as a result when the iterations say otherwise.
/// </summary>
internal static class Judge
{
    /// <summary>A yes/no target measured without a spread (counts, bytes, collected contexts).</summary>
    public static Verdict Is(bool met) => met ? Verdict.Met : Verdict.Missed;

    /// <summary><paramref name="subject"/> ≤ <paramref name="limit"/> × <paramref name="reference"/>.</summary>
    public static Verdict RatioAtMost(Row subject, Row reference, double limit)
    {
        (double low, double high) = Ratio(subject, reference);
        return high <= limit ? Verdict.Met : low > limit ? Verdict.Missed : Verdict.NotEstablished;
    }

    /// <summary><paramref name="reference"/> ≥ <paramref name="times"/> × <paramref name="subject"/> (the subject is that many times faster).</summary>
    public static Verdict FasterBy(Row subject, Row reference, double times)
    {
        (double low, double high) = Ratio(reference, subject);
        return low >= times ? Verdict.Met : high < times ? Verdict.Missed : Verdict.NotEstablished;
    }

    /// <summary><paramref name="subject"/> − <paramref name="reference"/> ≤ <paramref name="nanoseconds"/>.</summary>
    public static Verdict AddsAtMost(Row subject, Row reference, double nanoseconds)
    {
        double low = subject.Low - reference.High, high = subject.High - reference.Low;
        return high <= nanoseconds ? Verdict.Met : low > nanoseconds ? Verdict.Missed : Verdict.NotEstablished;
    }

    /// <summary>The range of <paramref name="subject"/> / <paramref name="reference"/> over both spreads.</summary>
    public static (double Low, double High) Ratio(Row subject, Row reference) =>
        (subject.Low / reference.High, subject.High / reference.Low);

    /// <summary>Whether two rows' spreads overlap: then which of them is faster is not established by this run.</summary>
    public static bool Overlap(Row a, Row b) => a.Low <= b.High && b.Low <= a.High;

    /// <summary>The table's word for a verdict.</summary>
    public static string Word(Verdict verdict) => verdict switch
    {
        Verdict.Met => "met",
        Verdict.Missed => "**missed**",
        Verdict.NotEstablished => "not established (spreads overlap)",
        _ => "n/a",
    };
}
