using System.Reflection;
using Microsoft.Extensions.Logging;
using Plugboard.Native;

namespace Plugboard;

/// <summary>How a <see cref="PluginHost{TContract}"/> shares its API, serves plugins and bounds their hooks.</summary>
public sealed class PluginHostOptions
{
    /// <summary>
    /// The host's public API assemblies: shared with every plugin and checked for compatibility (version rule and
    /// surface check). The contract type's assembly is always included.
    /// </summary>
    public IList<Assembly> HostApiAssemblies { get; } = [];

    /// <summary>
    /// Further assemblies resolved to the host's copy in every plugin (with every assembly their public surface exposes: types of those cross the boundary too), e.g. a
    /// library whose types cross the host/plugin boundary. Everything not shared stays private to each plugin.
    /// </summary>
    public IList<Assembly> SharedAssemblies { get; } = [];

    /// <summary>
    /// Framework assemblies loaded privately into each plugin's context instead of shared from the host. Their global
    /// caches keyed by type (TypeDescriptor's, used by Newtonsoft.Json among others) would otherwise keep an unloaded
    /// plugin alive forever. Types of these assemblies then do not cross the host/plugin boundary with one identity.
    /// </summary>
    public IList<string> PrivateFrameworkAssemblies { get; } = ["System.ComponentModel.TypeConverter"];

    /// <summary>
    /// How the host API's version decides about plugins built against a newer minor of the API: by what they use
    /// (<see cref="ApiVersionRule.SurfaceProven"/>, the default) or by the version alone (<see cref="ApiVersionRule.Strict"/>).
    /// </summary>
    public ApiVersionRule ApiVersionRule { get; set; } = ApiVersionRule.SurfaceProven;

    /// <summary>Which plugins the host agrees to run: a lock file of vetted files, allowed folders, strict permissions. Null trusts every folder it is pointed at.</summary>
    public Trust.PluginTrustPolicy? Trust { get; set; }

    /// <summary>Host services plugins may ask for through <see cref="IPluginContext"/>.</summary>
    public IServiceProvider? Services { get; set; }

    /// <summary>
    /// Creates entry instances instead of Plugboard's constructor rule (e.g. through a dependency-injection container);
    /// the constructor rule applies when null.
    /// </summary>
    public PluginEntryFactory? EntryFactory { get; set; }

    /// <summary>Where Plugboard and plugins log; nothing is logged when null.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>Each plugin's settings by plugin id; plugins get an empty set when null or when it returns null.</summary>
    public Func<string, IReadOnlyDictionary<string, string>?>? Settings { get; set; }

    /// <summary>How long a plugin's initialize and start hooks may take before the plugin is marked failed.</summary>
    public TimeSpan InitializationTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a plugin's stop hook may take before unloading goes on without it.</summary>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// After this many consecutive failed calls through <see cref="LoadedPlugin{TContract}.Invoke{TResult}"/>, the plugin is
    /// faulted: further calls fail at once with <see cref="PluginErrorCode.PluginFaulted"/> until it is reloaded. 0 turns it off.
    /// </summary>
    public int FaultThreshold { get; set; } = 50;

    /// <summary>How long an unload or reload waits for calls in flight on the old version to finish.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many full garbage collections an unload waits for the plugin's context to be collected.</summary>
    public int UnloadCollectionAttempts { get; set; } = 10;

    /// <summary>
    /// When set, an unload whose plugin was not collected names every GC root that keeps it alive, with the chain of
    /// types (<see cref="UnloadReport.Roots"/>). Off by default: it snapshots and walks the whole heap (see
    /// docs/unloading.md for its cost). Plugboard.Diagnostics' <c>HeapRootDiagnosis</c> is one.
    /// </summary>
    public UnloadDiagnosis? UnloadDiagnosis { get; set; }

    /// <summary>
    /// How native plugins (C, Rust, NativeAOT C#) are loaded: the host interfaces they can look up, their log, the
    /// runtime identifier. Copy-on-load is on, so a reload of a rebuilt library gets the new code.
    /// </summary>
    public NativePluginLoaderOptions NativePlugins { get; } = new() { CopyOnLoad = true };

    /// <summary>
    /// Which plugins run out of process, in a supervised worker of their own, and how the workers are supervised
    /// (call deadline, restarts, crash limit). Every plugin runs in process unless this says otherwise.
    /// </summary>
    public PluginIsolationOptions Isolation { get; } = new();

    private readonly Dictionary<Type, Delegate> _nativeAdapters = [];

    /// <summary>
    /// Lets native plugins serve as <typeparamref name="TContract"/>: a <see cref="PluginHost{TContract}"/> then loads
    /// them beside managed plugins and returns them in <see cref="PluginLoadResult{TContract}.Loaded"/>, called,
    /// reloaded, faulted and unloaded exactly like managed ones. Without an adapter, native plugins are
    /// <see cref="PluginLoadResult{TContract}.Skipped"/> (not this contract). A host of <see cref="NativePlugin"/> itself needs none.
    /// </summary>
    /// <typeparam name="TContract">The host's contract.</typeparam>
    /// <param name="adapter">Wraps a loaded, initialized native plugin as the contract; the host owns (and shuts down) the plugin.
    /// <c>LoadAllAsync</c> runs native inits concurrently, so the adapter may be called for several plugins at once, from
    /// thread-pool threads: keep any state it shares thread-safe. For a native plugin that runs out of process, its worker
    /// makes the adapter anew from its method: a static method (a generated proxy's <c>Create</c>) or a lambda that
    /// captures nothing; one that holds host state is refused with PB0708.</param>
    /// <returns>These options.</returns>
    public PluginHostOptions AddNativeAdapter<TContract>(Func<NativePlugin, TContract> adapter) where TContract : class
    {
        ArgumentNullException.ThrowIfNull(adapter);
        _nativeAdapters[typeof(TContract)] = adapter;
        return this;
    }

    /// <summary>The adapter registered for <typeparamref name="TContract"/>; identity for <see cref="NativePlugin"/> itself.</summary>
    internal Func<NativePlugin, TContract>? NativeAdapterFor<TContract>() where TContract : class =>
        _nativeAdapters.GetValueOrDefault(typeof(TContract)) as Func<NativePlugin, TContract>
        ?? (typeof(TContract) == typeof(NativePlugin) ? plugin => (TContract)(object)plugin : null);
}
