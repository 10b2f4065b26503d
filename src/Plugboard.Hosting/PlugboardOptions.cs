namespace Plugboard.Hosting;

/// <summary>
/// How <see cref="PlugboardServiceCollectionExtensions.AddPlugboard{TContract}(Microsoft.Extensions.DependencyInjection.IServiceCollection, Action{PlugboardOptions}?)"/>
/// finds, trusts, loads and reloads plugins. Bound from the <c>Plugboard</c> configuration section and validated at start.
/// </summary>
/// <example>
/// <code>
/// "Plugboard": {
///   "PluginFolders": [ "plugins" ],
///   "HotReload": true,
///   "ReloadDebounce": "00:00:00.300",
///   "LockFile": "plugins/plugboard.lock.json",
///   "StrictPermissions": true,
///   "InitializationTimeout": "00:00:30",
///   "Isolation": { "OutOfProcessPlugins": [ "untrusted-exporter" ], "CallTimeout": "00:00:10" },
///   "Settings": { "my-plugin": { "Limit": "10" } }
/// }
/// </code>
/// </example>
public sealed class PlugboardOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = "Plugboard";

    // One source of defaults: what configuration leaves unset keeps PluginHostOptions' value, so a default changed
    // there shows up here (PlugboardOptionsTests compares every property the two share).
    private static readonly PluginHostOptions HostDefaults = new();

    /// <summary>Folders holding one sub-folder per plugin; relative paths are resolved against the host's content root.</summary>
    public IList<string> PluginFolders { get; } = [];

    /// <summary>Names of further host API assemblies (beyond the contract's), loaded by name and checked for compatibility.</summary>
    public IList<string> HostApiAssemblies { get; } = [];

    /// <summary>Names of assemblies every plugin shares with the host (beyond the host API and Plugboard's contracts), loaded by name.</summary>
    public IList<string> SharedAssemblies { get; } = [];

    /// <summary>Watch the plugin folders and reload a plugin when its files change.</summary>
    public bool HotReload { get; set; }

    /// <summary>How long a plugin folder must be quiet before it is reloaded (hot reload only).</summary>
    public TimeSpan ReloadDebounce { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// A lock file (written by <c>plugboard lock</c>) every plugin is checked against, at discovery and again right
    /// before it loads; a relative path is resolved against the content root. A plugin with a changed, added or
    /// removed file is not loaded (PB0601); a missing lock file fails every plugin. No check when null.
    /// </summary>
    public string? LockFile { get; set; }

    /// <summary>When not empty, plugin folders must lie under one of these folders (PB0602 otherwise); relative paths resolve against the content root.</summary>
    public IList<string> AllowedFolders { get; } = [];

    /// <summary>Refuse plugin files that users other than their owner may write, and symbolic links leaving a plugin folder (Unix; PB0602).</summary>
    public bool StrictPermissions { get; set; }

    /// <summary>
    /// Run a plugin the lock file does not list out of process instead of refusing it (PB0601); it wins over the
    /// isolation lists. A listed plugin whose files changed is refused all the same. <see cref="Trust.PluginTrustPolicy.IsolateUnlistedPlugins"/>.
    /// </summary>
    public bool IsolateUnlistedPlugins { get; set; }

    /// <summary>How long a plugin's initialize and start hooks may take.</summary>
    public TimeSpan InitializationTimeout { get; set; } = HostDefaults.InitializationTimeout;

    /// <summary>How long a plugin's stop hook may take.</summary>
    public TimeSpan StopTimeout { get; set; } = HostDefaults.StopTimeout;

    /// <summary>How long an unload or reload waits for calls in flight to finish.</summary>
    public TimeSpan DrainTimeout { get; set; } = HostDefaults.DrainTimeout;

    /// <summary>How many consecutive failing calls through a lease mark a plugin faulted (no longer called until reloaded); 0 turns it off.</summary>
    public int FaultThreshold { get; set; } = HostDefaults.FaultThreshold;

    /// <summary>How many full garbage collections an unload waits for a plugin to be collected.</summary>
    public int UnloadCollectionAttempts { get; set; } = HostDefaults.UnloadCollectionAttempts;

    /// <summary>
    /// Which plugins run out of process, and how their workers are supervised (the <c>Isolation</c> sub-section, e.g.
    /// <c>"Isolation": { "OutOfProcessPlugins": [ "untrusted-exporter" ], "CallTimeout": "00:00:10" }</c>); the same
    /// options and defaults as <see cref="PluginHostOptions.Isolation"/>. docs/isolation.md.
    /// </summary>
    public PluginIsolationOptions Isolation { get; } = new();

    /// <summary>Each plugin's settings by plugin id (flattened keys such as <c>Limits:Max</c>), handed to it as <see cref="IPluginContext.Settings"/>.</summary>
    public IDictionary<string, IDictionary<string, string>> Settings { get; } =
        new Dictionary<string, IDictionary<string, string>>(StringComparer.OrdinalIgnoreCase);
}
