namespace Plugboard;

/// <summary>
/// Which plugins run out of process (<see cref="PluginIsolation.OutOfProcess"/>) and how their workers are
/// supervised. <see cref="PluginHostOptions.Isolation"/>; docs/isolation.md.
/// </summary>
public sealed class PluginIsolationOptions
{
    /// <summary>The isolation of every plugin not named in <see cref="OutOfProcessPlugins"/> or <see cref="InProcessPlugins"/>; in-process by default.</summary>
    public PluginIsolation Default { get; set; } = PluginIsolation.InProcess;

    /// <summary>Ids of plugins that run out of process whatever <see cref="Default"/> says.</summary>
    public ISet<string> OutOfProcessPlugins { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Ids of plugins that run in process whatever <see cref="Default"/> says.</summary>
    public ISet<string> InProcessPlugins { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// How long one call to an out-of-process plugin may take. Past it the worker (and with it the hung call) is
    /// killed, the call fails with <see cref="PluginErrorCode.WorkerCallTimedOut"/>, and the worker restarts.
    /// </summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a worker may take to start, answer the handshake and load its plugin (its initialize and start hooks included).</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>After this many worker crashes within <see cref="CrashWindow"/> the worker is not restarted and the plugin is faulted until reloaded.</summary>
    public int CrashLimit { get; set; } = 3;

    /// <summary>The window <see cref="CrashLimit"/> counts crashes in.</summary>
    public TimeSpan CrashWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The wait before the first restart after a crash; it doubles with every further crash in the window, up to <see cref="MaxRestartDelay"/>.</summary>
    public TimeSpan RestartDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest wait before a restart.</summary>
    public TimeSpan MaxRestartDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Whether each out-of-process plugin keeps a second worker process started and waiting (the runtime up, nothing
    /// of the plugin loaded, no connection made), so that a restart after a crash or a kill skips starting a process:
    /// the new worker is the waiting one, and another is started behind it. Costs one idle .NET process per plugin
    /// (docs/isolation.md gives its memory); false by default.
    /// </summary>
    public bool StandbyWorker { get; set; }

    /// <summary>
    /// The most managed (GC heap) memory each worker may use, in bytes (the runtime's <c>DOTNET_GCHeapHardLimit</c>);
    /// null for no limit. A call whose allocation passes it fails with <see cref="PluginErrorCode.WorkerMemoryLimitExceeded"/>
    /// and the worker is killed and restarted, instead of taking the machine's memory. Native memory is not counted:
    /// <see cref="ProcessMemoryLimit"/> bounds it.
    /// </summary>
    public long? MemoryLimit { get; set; }

    /// <summary>
    /// The most resident memory each worker process may use, managed and native together, in bytes; null for no limit.
    /// The host reads each worker's resident memory every 20 ms and kills a worker past the limit: the calls in flight
    /// fail with <see cref="PluginErrorCode.WorkerMemoryLimitExceeded"/> and the worker is restarted (it counts as a
    /// crash). A worker may pass the limit by what it touches within 20 ms before it is killed. An idle worker is
    /// resident with about 60 MB of its own (docs/isolation.md): set the limit well above that and what the plugin needs.
    /// </summary>
    public long? ProcessMemoryLimit { get; set; }

    /// <summary>
    /// How often, at most, a worker takes its plugin's state for a restart, when the plugin implements
    /// <see cref="IPluginStateTransfer"/>; one second by default, null for never. The worker calls
    /// <see cref="IPluginStateTransfer.ExportState"/> once calls have changed the plugin and none is running (calls
    /// arriving meanwhile wait), and sends the state to the host; a worker restarted after a crash, a deadline or a
    /// memory limit is handed the last state taken, before its first call. What the plugin did after that state was
    /// taken is lost with the worker: a shorter interval loses less and exports more often.
    /// </summary>
    public TimeSpan? StateCheckpointInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Whether a plugin's request to run out of process (<c>"isolation": "out-of-process"</c> in its plugin.json) is
    /// granted; true by default. A request only ever raises the isolation: a plugin that asks to run in process runs
    /// out of process all the same when the host's <see cref="Default"/> says so, and the host's own lists win over
    /// any request.
    /// </summary>
    public bool HonorPluginRequests { get; set; } = true;

    /// <summary>Copies every setting onto <paramref name="target"/> (the hosting options' section onto a host's options).</summary>
    /// <param name="target">The options to change.</param>
    public void CopyTo(PluginIsolationOptions target)
    {
        ArgumentNullException.ThrowIfNull(target);
        target.Default = Default;
        target.HonorPluginRequests = HonorPluginRequests;
        target.OutOfProcessPlugins.Clear();
        target.OutOfProcessPlugins.UnionWith(OutOfProcessPlugins);
        target.InProcessPlugins.Clear();
        target.InProcessPlugins.UnionWith(InProcessPlugins);
        target.CallTimeout = CallTimeout;
        target.StartTimeout = StartTimeout;
        target.CrashLimit = CrashLimit;
        target.CrashWindow = CrashWindow;
        target.RestartDelay = RestartDelay;
        target.MaxRestartDelay = MaxRestartDelay;
        target.StandbyWorker = StandbyWorker;
        target.MemoryLimit = MemoryLimit;
        target.ProcessMemoryLimit = ProcessMemoryLimit;
        target.StateCheckpointInterval = StateCheckpointInterval;
    }

    /// <summary>
    /// The isolation <paramref name="entry"/> runs with: what the trust policy requires, then the host's lists, then
    /// the plugin's request for more isolation, then <see cref="Default"/>.
    /// </summary>
    internal PluginIsolation For(PluginCatalogEntry entry) =>
        entry.RequiredIsolation is PluginIsolation required ? required
        : OutOfProcessPlugins.Contains(entry.Id) ? PluginIsolation.OutOfProcess
        : InProcessPlugins.Contains(entry.Id) ? PluginIsolation.InProcess
        : HonorPluginRequests && entry.Manifest?.Isolation == PluginIsolation.OutOfProcess ? PluginIsolation.OutOfProcess
        : Default;
}
