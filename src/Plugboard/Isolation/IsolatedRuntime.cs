using System.Reflection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Plugboard.Loading;
using Plugboard.Trust;

namespace Plugboard.Isolation;

/// <summary>
/// Out-of-process plugins: each version in a worker process of its own (<see cref="WorkerSupervisor"/>), loaded there
/// by the same runtime (managed, or native with the host's adapter made anew there) and checks as in process, called through a proxy of the contract
/// (<see cref="ContractProxy"/>). The host's lifetime (gate, reload, unload, events, faults) is the same as for any kind.
/// </summary>
internal sealed class IsolatedRuntime<TContract>(PluginKind kind, PluginHostOptions options) : IPluginRuntime<TContract> where TContract : class
{
    private readonly Lazy<IReadOnlyList<string>> _boundaryProblems = new(() => BoundaryCheck.Problems(typeof(TContract)));
    private readonly Lazy<ContractMethods> _methods = new(() => new ContractMethods(typeof(TContract)));

    public PluginKind Kind => kind;

    public PluginIsolation Isolation => PluginIsolation.OutOfProcess;

    // A contract that cannot cross is a typed load error (PB0704), not "not this contract"; a native plugin serves the
    // contract out of process exactly when it does in process: through the host's adapter.
    public bool ServesContract => kind != PluginKind.Native || options.NativeAdapterFor<TContract>() is not null;

    public (PluginCode Code, IReadOnlyList<TContract> Instances) Load(PluginCatalogEntry entry, PluginSnapshot snapshot, IPluginContext pluginContext)
    {
        if (_boundaryProblems.Value.Count > 0)
        {
            throw new PluginException(PluginErrorCode.ContractCannotCrossProcess, entry.Id, entry.Directory,
                $"Plugin '{entry.Id}' was to run out of process, but {typeof(TContract).FullName} cannot cross a process boundary: {string.Join("; ", _boundaryProblems.Value)}.",
                "Run the plugin in process, or make the contract an interface whose arguments and results are serializable data (docs/isolation.md, \"What crosses\").");
        }
        NativeWorkerSettings? native = kind == PluginKind.Native ? NativeSettings(entry) : null;
        ILogger logger = options.LoggerFactory?.CreateLogger("Plugboard") ?? NullLogger.Instance;
        ILogger pluginLogger = options.LoggerFactory?.CreateLogger($"Plugboard.Plugin.{entry.Id}") ?? NullLogger.Instance;
        // The worker gets the bytes the host read and checked (trust, compatibility), never the folder.
        IReadOnlyList<SnapshotFileHeader> files = SnapshotTransfer.Headers(snapshot);
        Hello HelloWith(string secret, IReadOnlyList<InstanceState>? state) => new(WorkerProtocol.Version, secret, entry.Id, entry.Directory, typeof(TContract).AssemblyQualifiedName!,
            ApiIdentity.Of(typeof(TContract)), Locations([typeof(TContract).Assembly, .. options.HostApiAssemblies]), Locations(options.SharedAssemblies),
            [.. options.PrivateFrameworkAssemblies], options.ApiVersionRule,
            files, pluginContext.Settings, options.InitializationTimeout, options.StopTimeout, native, state, options.Isolation.StateCheckpointInterval);
        // Load is synchronous (the host's loader runs it); starting a worker is bounded by the start timeout.
        WorkerSupervisor supervisor = WorkerSupervisor.StartAsync(HelloWith, snapshot, entry.Id, entry.Directory, options.Isolation, options.StopTimeout, logger, pluginLogger, CancellationToken.None)
            .GetAwaiter().GetResult();
        var instances = new TContract[supervisor.Instances];
        for (int i = 0; i < instances.Length; i++)
        {
            instances[i] = ContractProxy.Create<TContract>(supervisor, _methods.Value, i);
        }
        return (new IsolatedCode(supervisor), instances);
    }

    // The worker makes the host's adapter anew from its method (a delegate cannot cross), with the loader settings that are data.
    private NativeWorkerSettings NativeSettings(PluginCatalogEntry entry)
    {
        Native.NativePluginLoaderOptions loader = options.NativePlugins;
        NativeAdapterReference? adapter = NativeAdapterReference.Describe(options.NativeAdapterFor<TContract>()!, out string? problem);
        return adapter is not null
            ? new NativeWorkerSettings(adapter, loader.InitTimeout, loader.ShutdownTimeout, loader.InvokeTimeout, loader.MaxOutputBytes, loader.UnloadWhenAllowed, loader.RuntimeIdentifier,
                [.. loader.Interfaces.Layouts.Select(l => new InterfaceLayoutOnWire(l.Id, l.MemberNames, l.MemberHashes))])
            : throw new PluginException(PluginErrorCode.NativeOutOfProcessNotSupported, entry.Id, entry.Directory,
                $"Native plugin '{entry.Id}' was to run out of process, but the host's adapter to {typeof(TContract).FullName} cannot be made in a worker process: {problem}.",
                "Register a static method as the adapter (a generated proxy's Create, or a static factory of your adapter class) or a lambda that captures nothing: the worker makes it anew from its assembly, and gets nothing of the host's objects.");
    }

    private static List<string> Locations(IEnumerable<Assembly> assemblies) =>
        [.. assemblies.Select(a => a.Location).Where(l => l.Length > 0).Distinct(StringComparer.Ordinal)];

    private sealed class IsolatedCode(WorkerSupervisor supervisor) : PluginCode
    {
        public override PluginIsolation Isolation => PluginIsolation.OutOfProcess;

        public override int? WorkerProcessId => supervisor.ProcessId;

        public override int? StandbyWorkerProcessId => supervisor.StandbyProcessId;

        public override IStateHandover? StateHandover { get; } = new WorkerStateHandover(supervisor);

        public override CodeRelease Release()
        {
            // The worker ran the stop hooks and ended (or was killed): nothing of the plugin is left in the host.
            supervisor.DisposeAsync().AsTask().GetAwaiter().GetResult();
            return new CodeRelease(null, null);
        }

        public override WeakReference? Abandon()
        {
            supervisor.DisposeAsync().AsTask().GetAwaiter().GetResult();
            return null;
        }
    }
}
