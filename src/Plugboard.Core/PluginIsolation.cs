namespace Plugboard;

/// <summary>Where a plugin's code runs (docs/isolation.md says what each level guarantees and costs).</summary>
public enum PluginIsolation
{
    /// <summary>In the host's process, in its own collectible load context: the fastest calls; a crash of the plugin's code ends the host.</summary>
    InProcess = 0,

    /// <summary>
    /// In a worker process of its own, called over a local socket: the host survives the plugin's crashes (the worker
    /// is restarted) and hung calls (the worker is killed at the call's deadline); arguments and results cross as copies.
    /// </summary>
    OutOfProcess = 1,
}
