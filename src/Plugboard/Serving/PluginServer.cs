using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Plugboard.Isolation;

namespace Plugboard.Serving;

/// <summary>The worker's plugin, whatever the host's contract type (created for it by reflection).</summary>
internal interface IPluginServer : IAsyncDisposable
{
    /// <summary>Inspects the plugin in the files its host read and checked (its metadata only: none of its code runs).</summary>
    /// <exception cref="PluginException">The plugin is not compatible: the same typed error as in process.</exception>
    void Inspect(Trust.PluginSnapshot snapshot);

    /// <summary>Loads the plugin <see cref="Inspect"/> found; the number of its entry instances.</summary>
    /// <exception cref="PluginException">The plugin cannot be loaded: the same typed error as in process.</exception>
    Task<int> LoadAsync();

    /// <summary>
    /// Prepares a call as it arrives, before it runs on a thread of its own: a cancellation that arrives right after
    /// it must find its token.
    /// </summary>
    void Accept(CallRequest call);

    /// <summary>Runs one call; what the plugin threw becomes the reply's error, never an exception of the worker.</summary>
    Task<CallReply> CallAsync(CallRequest call);

    /// <summary>Cancels the token call <paramref name="id"/> gave the plugin, if it is still running.</summary>
    void Cancel(long id);

    /// <summary>Whether an entry instance implements <see cref="IPluginStateTransfer"/> (only then are checkpoints taken).</summary>
    bool TransfersState { get; }

    /// <summary>Hands the loaded plugin the state its predecessor exported, before its first call; why not, or null.</summary>
    string? ImportState(IReadOnlyList<InstanceState> states);

    /// <summary>The plugin's state if calls changed it and none runs now (<see cref="StateCheckpoints"/>); else null.</summary>
    StateCheckpoint? TakeState();

    /// <summary>A reload's export: the plugin's state now (<see cref="StateCheckpoints.TakeNowAsync"/>).</summary>
    Task<ExportReply> ExportAsync(ExportRequest request);

    /// <summary>A reload's import into this new version, before its first call; a state of a type it lacks is skipped.</summary>
    ImportReply Import(ImportRequest request);
}

/// <summary>
/// The worker's side of one out-of-process plugin: a <see cref="PluginHost{TContract}"/> of its own loads the plugin
/// in process here, from the files the host read and checked, with the host's API, sharing, version rule, settings
/// and hook timeouts, so that the compatibility rules are exactly those of an in-process plugin and the trust policy
/// the host applied covers what runs; calls run on its current version.
/// </summary>
internal sealed class PluginServer<TContract> : IPluginServer where TContract : class
{
    private readonly Hello _hello;
    private readonly HostCalls _hostCalls;
    private readonly PluginHost<TContract> _host;
    private readonly ContractMethods _methods = new(typeof(TContract));
    private PluginCatalogEntry? _entry;
    private LoadedPlugin<TContract>? _plugin;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, CancellationTokenSource> _cancellations = new();
    private readonly StateCheckpoints _checkpoints = new();

    public PluginServer(Hello hello, HostCalls hostCalls)
    {
        _hello = hello;
        _hostCalls = hostCalls;
        var options = new PluginHostOptions
        {
            ApiVersionRule = hello.ApiVersionRule,
            InitializationTimeout = hello.InitializationTimeout,
            StopTimeout = hello.StopTimeout,
            Settings = _ => hello.Settings,
            LoggerFactory = new StderrLoggerFactory(),
            // The host faults the plugin; the worker only runs its calls.
            FaultThreshold = 0,
        };
        // The worker is the isolation: here the plugin runs in process, whatever its plugin.json asks for (a request
        // honoured here would start a worker from the worker).
        options.Isolation.HonorPluginRequests = false;
        options.Isolation.Default = PluginIsolation.InProcess;
        foreach (Assembly assembly in HostApiResolution.Load(hello.HostApiAssemblies))
        {
            options.HostApiAssemblies.Add(assembly);
        }
        foreach (Assembly assembly in HostApiResolution.Load(hello.SharedAssemblies))
        {
            options.SharedAssemblies.Add(assembly);
        }
        options.PrivateFrameworkAssemblies.Clear();
        foreach (string name in hello.PrivateFrameworkAssemblies)
        {
            options.PrivateFrameworkAssemblies.Add(name);
        }
        if (hello.Native is NativeWorkerSettings native)
        {
            // The same native loader as in process, with the host's settings that are data and the host's adapter made
            // anew here; the plugin's log lines go to the host's logger under its id (the host's IPluginLog stays there).
            options.NativePlugins.InitTimeout = native.InitTimeout;
            options.NativePlugins.ShutdownTimeout = native.ShutdownTimeout;
            options.NativePlugins.InvokeTimeout = native.InvokeTimeout;
            options.NativePlugins.MaxOutputBytes = native.MaxOutputBytes;
            options.NativePlugins.UnloadWhenAllowed = native.UnloadWhenAllowed;
            options.NativePlugins.RuntimeIdentifier = native.RuntimeIdentifier;
            options.NativePlugins.Log = new StderrPluginLog(options.LoggerFactory.CreateLogger($"Plugboard.Plugin.{hello.PluginId}"));
            foreach (InterfaceLayoutOnWire layout in native.Layouts ?? [])
            {
                options.NativePlugins.Interfaces.Expect(new Native.NativeInterfaceLayout(layout.Id, layout.MemberNames, [.. layout.MemberHashes]));
            }
            options.AddNativeAdapter(native.Adapter.Resolve<TContract>());
        }
        // No trust policy here: the host applied its own to the very bytes this worker is given (never the folder).
        _host = new PluginHost<TContract>(options);
    }

    public void Inspect(Trust.PluginSnapshot snapshot)
    {
        PluginCatalogEntry entry = _host.Inspect(snapshot);
        _entry = entry.IsCompatible ? entry : throw entry.Problems[0];
    }

    public async Task<int> LoadAsync()
    {
        _plugin = await _host.LoadAsync(_entry ?? throw new InvalidOperationException("Inspect the plugin before loading it.")).ConfigureAwait(false);
        TransfersState = _plugin.Instances.Any(i => i is IPluginStateTransfer);
        return _plugin.Instances.Count;
    }

    public bool TransfersState { get; private set; }

    public string? ImportState(IReadOnlyList<InstanceState> states)
    {
        using PluginLease<TContract> lease = _plugin!.Acquire();
        return StateCheckpoints.Import(lease.Instances, states);
    }

    public StateCheckpoint? TakeState()
    {
        using PluginLease<TContract> lease = _plugin!.Acquire();
        return _checkpoints.TryTake(lease.Instances);
    }

    // The plugin's own failures are the problem StateCheckpoints reports; anything else must still answer the host.
#pragma warning disable CA1031
    public async Task<ExportReply> ExportAsync(ExportRequest request)
    {
        try
        {
            using PluginLease<TContract> lease = _plugin!.Acquire();
            StateCheckpoint taken = await _checkpoints.TakeNowAsync(lease.Instances).ConfigureAwait(false);
            return new ExportReply(request.Id, taken.Instances, taken.Problem);
        }
        catch (Exception ex)
        {
            return new ExportReply(request.Id, [], $"the worker could not take the state: {ex.GetType().FullName}: {ex.Message}");
        }
    }

    public ImportReply Import(ImportRequest request)
    {
        try
        {
            using PluginLease<TContract> lease = _plugin!.Acquire();
            return new ImportReply(request.Id, StateCheckpoints.Import(lease.Instances, request.State, skipMissing: true));
        }
        catch (Exception ex)
        {
            return new ImportReply(request.Id, $"the worker could not import the state: {ex.GetType().FullName}: {ex.Message}");
        }
    }
#pragma warning restore CA1031

    public async Task<CallReply> CallAsync(CallRequest call)
    {
        // No checkpoint is taken while a call runs, and a call waits for one being taken; a plugin with no state to
        // transfer is never checkpointed, so its calls skip the gate's lock.
        bool gated = TransfersState;
        if (gated)
        {
            await _checkpoints.EnterAsync().ConfigureAwait(false);
        }
        try
        {
            MethodInfo method = call.Method >= 0 && call.Method < _methods.All.Count && _methods.All[call.Method].Name == call.MethodName
                ? _methods.All[call.Method]
                : throw new InvalidOperationException($"The worker's contract has no method {call.MethodName} at index {call.Method}.");
            object?[] arguments = MethodCall.Arguments(method, call.Arguments, (parameter, json) =>
                parameter.ParameterType == typeof(CancellationToken)
                    ? (true, _cancellations.TryGetValue(call.Id, out CancellationTokenSource? source) ? source.Token : CancellationToken.None)
                : BoundaryCheck.IsPassedByHandle(parameter.ParameterType)
                    ? (true, json.ValueKind == JsonValueKind.Number ? HostObjectProxy.Create(parameter.ParameterType, _hostCalls, json.GetInt64()) : null)
                : (false, null));
            using PluginLease<TContract> lease = _plugin!.Acquire();
            return new CallReply(call.Id, await MethodCall.RunAsync(method, lease.Instances[call.Instance], arguments).ConfigureAwait(false), null);
        }
#pragma warning disable CA1031 // Whatever the plugin (or its data) throws goes back to the host as the call's error.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return new CallReply(call.Id, null, RemoteError.Of(ex));
        }
        finally
        {
            if (gated)
            {
                _checkpoints.Exit();
            }
            if (_cancellations.TryRemove(call.Id, out CancellationTokenSource? source))
            {
                source.Dispose();
            }
        }
    }

    public void Accept(CallRequest call)
    {
        if (call.Method >= 0 && call.Method < _methods.All.Count && _methods.All[call.Method].GetParameters().Any(p => p.ParameterType == typeof(CancellationToken)))
        {
            _cancellations[call.Id] = new CancellationTokenSource();
        }
    }

    public void Cancel(long id)
    {
        if (_cancellations.TryGetValue(id, out CancellationTokenSource? source))
        {
            try
            {
                source.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // the call ended meanwhile
            }
        }
    }

    public async ValueTask DisposeAsync() => await _host.DisposeAsync().ConfigureAwait(false);
}
