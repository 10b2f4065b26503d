namespace Plugboard.Trust;

/// <summary>
/// Which plugins a host agrees to run. Plugins run in the host's process with its rights: this policy guards against
/// tampered and planted files, not against a malicious plugin you chose to trust (see docs/security.md).
/// </summary>
public sealed class PluginTrustPolicy
{
    /// <summary>A lock file (<see cref="PluginLockFile"/>); when set, every plugin file must match it.</summary>
    public string? LockFilePath { get; set; }

    /// <summary>When not empty, plugin folders must lie under one of these folders.</summary>
    public IList<string> AllowedDirectories { get; } = [];

    /// <summary>Refuses plugin folders and files that users other than the owner may write to, and symbolic links leaving the folder (Unix).</summary>
    public bool Strict { get; set; }

    /// <summary>
    /// Runs a plugin whose folder the lock file does not list out of process
    /// (<see cref="PluginIsolation.OutOfProcess"/>) instead of refusing it: code nobody vetted may run, but not in the
    /// host's process. It wins over the host's isolation lists (<see cref="PluginIsolationOptions.InProcessPlugins"/>).
    /// A listed plugin whose files differ from the lock is refused all the same, and without a lock file every plugin
    /// counts as unlisted. Off by default.
    /// </summary>
    public bool IsolateUnlistedPlugins { get; set; }
}
