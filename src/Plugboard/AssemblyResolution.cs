namespace Plugboard;

/// <summary>Where a plugin's reference to an assembly is satisfied at run time.</summary>
public enum AssemblyResolution
{
    /// <summary>The host's API: always the host's copy, so types have one identity.</summary>
    HostApi,
    /// <summary>Another assembly the host shares (Plugboard's contracts, dependencies of the API).</summary>
    Shared,
    /// <summary>The .NET shared framework.</summary>
    Framework,
    /// <summary>The plugin's own copy, from its folder, private to its load context.</summary>
    Private,
    /// <summary>Another plugin this one depends on (its main assembly), shared with one identity.</summary>
    Plugin,
}
