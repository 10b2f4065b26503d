namespace Plugboard.Compatibility;

/// <summary>
/// The one host API version rule. A plugin built against another major version of a host API assembly is refused (a
/// major may remove or change members). One built against an older or equal minor is accepted. One built against a
/// newer minor is decided by <see cref="ApiVersionRule"/>: <see cref="ApiVersionRule.Strict"/> refuses it by its
/// version alone; <see cref="ApiVersionRule.SurfaceProven"/> accepts it only when the surface check found nothing
/// this host lacks.
/// </summary>
internal static class HostApiVersionRule
{
    internal enum Verdict
    {
        /// <summary>Same major, older or equal minor.</summary>
        Accepted,

        /// <summary>Same major, newer minor: decided by <see cref="AcceptsNewerMinor"/> once the surface check ran.</summary>
        NewerMinor,

        /// <summary>Another major: refused.</summary>
        OtherMajor,
    }

    /// <summary>What the versions alone say about a plugin built against <paramref name="referenced"/> on a host providing <paramref name="host"/>.</summary>
    public static Verdict Compare(Version referenced, Version host) =>
        referenced.Major != host.Major ? Verdict.OtherMajor
        : referenced.Minor > host.Minor ? Verdict.NewerMinor
        : Verdict.Accepted;

    /// <summary>Whether a newer minor is accepted, given whether the surface check proved everything the plugin uses exists here.</summary>
    public static bool AcceptsNewerMinor(ApiVersionRule rule, bool surfaceProven) => rule == ApiVersionRule.SurfaceProven && surfaceProven;

    /// <summary>Why a plugin of <paramref name="verdict"/> is refused, to follow "... but this host provides {name} {host}: ".</summary>
    public static string Reason(Verdict verdict, ApiVersionRule rule, Version referenced, Version host) => verdict switch
    {
        Verdict.OtherMajor => $"the major versions differ ({referenced.Major} vs {host.Major}), and a major version may remove or change members",
        _ when rule == ApiVersionRule.Strict => $"the plugin needs minor version {referenced.Minor} but the host's is {host.Minor}, so it may use members this host lacks (rule Strict)",
        _ => $"the plugin needs minor version {referenced.Minor} but the host's is {host.Minor}, and it uses members this host lacks",
    };

    /// <summary>How to fix a refused plugin.</summary>
    public static string Fix(string name, Version referenced, Version host) =>
        $"Build the plugin against {name} {host.Major}.{host.Minor} or lower (same major), or run it on a host whose {name} is {referenced.Major}.{referenced.Minor} or newer within major {referenced.Major}.";
}
