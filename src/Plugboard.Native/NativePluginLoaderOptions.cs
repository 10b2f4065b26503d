namespace Plugboard.Native;

/// <summary>How <see cref="NativePluginLoader"/> loads native plugins.</summary>
public sealed class NativePluginLoaderOptions
{
    /// <summary>
    /// Copy each library to a unique file name before opening it, so loading a rebuilt library from the same path
    /// gets the new code (the loader returns the already-mapped image for a path it has seen). Off by default.
    /// The old image stays mapped unless its plugin declared itself unloadable. On Linux and macOS the copy is deleted right
    /// after it is opened (the mapping keeps it alive), so copies do not pile up.
    /// </summary>
    public bool CopyOnLoad { get; set; }

    /// <summary>Where <see cref="CopyOnLoad"/> puts copies; defaults to a <c>plugboard-native</c> folder under the temp folder.</summary>
    public string? ShadowCopyDirectory { get; set; }

    /// <summary>Receives the plugins' log lines (prefixed with the plugin id); null drops them.</summary>
    public IPluginLog? Log { get; set; }

    /// <summary>The host interfaces plugins can look up by versioned id.</summary>
    public NativeHostInterfaces Interfaces { get; } = new();

    /// <summary>
    /// Whether to close the library of a plugin that declares <see cref="NativePluginFlags.Unloadable"/> when it is
    /// disposed. Libraries that do not declare it are never closed.
    /// </summary>
    public bool UnloadWhenAllowed { get; set; } = true;

    /// <summary>The runtime identifier used to pick a library from the manifest; defaults to the current one (e.g. <c>linux-x64</c>).</summary>
    public string? RuntimeIdentifier { get; set; }

    /// <summary>
    /// How long a plugin's entry function and <c>init</c> may take together (default 30 s, like managed plugins'
    /// <c>InitializationTimeout</c>). Past it the load fails with PB0413 and the plugin is abandoned; other loads never
    /// wait for it, and <see cref="NativePluginLoader.LoadAll(IEnumerable{string}, out IReadOnlyList{PluginException})"/>
    /// runs all inits at once, so hung ones cost it one timeout in all. They run on a host call thread (reused once a
    /// call returns); <see cref="Timeout.InfiniteTimeSpan"/> runs them on the loading thread, unbounded.
    /// </summary>
    public TimeSpan InitTimeout
    {
        get => _initTimeout;
        set => _initTimeout = Checked(value, nameof(InitTimeout));
    }

    /// <summary>
    /// How long <see cref="NativePlugin.Dispose"/> waits for calls in flight, and then for <c>shutdown</c> (default 10 s).
    /// Past it Dispose returns and reports PB0416 in <see cref="NativePlugin.ShutdownError"/>.
    /// </summary>
    public TimeSpan ShutdownTimeout
    {
        get => _shutdownTimeout;
        set => _shutdownTimeout = Checked(value, nameof(ShutdownTimeout));
    }

    /// <summary>
    /// A deadline for each invoke; off (<see cref="Timeout.InfiniteTimeSpan"/>) by default. When set, each call runs on
    /// a host call thread with copies of its input and output (it allocates, and costs a hand-off to that thread; a
    /// thread that returned in time takes the next call), and a call past the deadline fails with PB0414 and faults the
    /// plugin: later calls get PB0415.
    /// </summary>
    public TimeSpan InvokeTimeout
    {
        get => _invokeTimeout;
        set => _invokeTimeout = Checked(value, nameof(InvokeTimeout));
    }

    /// <summary>
    /// The most bytes one invoke may write to its output (default 64 MiB, at most <see cref="int.MaxValue"/>). A write
    /// past it gets <c>PB_ERR_BUFFER_TOO_SMALL</c> and the call fails with PB0417.
    /// </summary>
    public long MaxOutputBytes
    {
        get => _maxOutputBytes;
        set => _maxOutputBytes = value is > 0 and <= int.MaxValue ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "MaxOutputBytes must be between 1 and int.MaxValue.");
    }

    private long _maxOutputBytes = 64L * 1024 * 1024;

    private TimeSpan _initTimeout = TimeSpan.FromSeconds(30);

    private TimeSpan _shutdownTimeout = TimeSpan.FromSeconds(10);

    private TimeSpan _invokeTimeout = Timeout.InfiniteTimeSpan;

    private static TimeSpan Checked(TimeSpan value, string name) =>
        value > TimeSpan.Zero && value.TotalMilliseconds <= int.MaxValue || value == Timeout.InfiniteTimeSpan
            ? value
            : throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive (at most about 24 days) or Timeout.InfiniteTimeSpan.");
}
