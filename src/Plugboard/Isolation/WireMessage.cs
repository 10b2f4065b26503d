using System.Text.Json;
using System.Text.Json.Serialization;

namespace Plugboard.Isolation;

/// <summary>
/// The vocabulary host and worker speak over the socket, one JSON document per frame (<see cref="MessageChannel"/>).
/// <see cref="WorkerProtocol.Version"/> changes whenever a message changes meaning; the handshake refuses any other.
/// <see cref="WireCodec"/> writes and reads them; the attributes give System.Text.Json's serializer the same shape
/// (the codec's tests compare the two), for logs and tools.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "$kind")]
[JsonDerivedType(typeof(Hello), "hello")]
[JsonDerivedType(typeof(SnapshotChunk), "file")]
[JsonDerivedType(typeof(Refusal), "refusal")]
[JsonDerivedType(typeof(Welcome), "welcome")]
[JsonDerivedType(typeof(CallRequest), "call")]
[JsonDerivedType(typeof(CallReply), "reply")]
[JsonDerivedType(typeof(CancelRequest), "cancel")]
[JsonDerivedType(typeof(HostCallRequest), "host-call")]
[JsonDerivedType(typeof(HostCallReply), "host-reply")]
[JsonDerivedType(typeof(StateCheckpoint), "state")]
[JsonDerivedType(typeof(Go), "go")]
[JsonDerivedType(typeof(ExportRequest), "export")]
[JsonDerivedType(typeof(ExportReply), "exported")]
[JsonDerivedType(typeof(ImportRequest), "import")]
[JsonDerivedType(typeof(ImportReply), "imported")]
[JsonDerivedType(typeof(Shutdown), "shutdown")]
internal abstract record WireMessage;

/// <summary>
/// The host's first message: who it is, the secret the worker was started with, and what to load how. The plugin's
/// files follow it as <see cref="SnapshotChunk"/>s, in the order of <see cref="Files"/>: the bytes the host read and
/// checked, so that the worker never reads <see cref="PluginDirectory"/> (named for messages only). A restarted worker
/// gets the last <see cref="State"/> its predecessor sent, imported before the welcome; <see cref="StateCheckpointInterval"/>
/// says how often it sends its own (null: never). A worker started ahead of a restart (<see cref="AwaitsGo"/>) reads
/// the files and inspects the plugin, then waits for a <see cref="Go"/>, which carries the state, before it loads it.
/// </summary>
internal sealed record Hello(int ProtocolVersion, string Secret, string PluginId, string PluginDirectory, string ContractType, ApiIdentity HostApi,
    IReadOnlyList<string> HostApiAssemblies, IReadOnlyList<string> SharedAssemblies, IReadOnlyList<string> PrivateFrameworkAssemblies,
    ApiVersionRule ApiVersionRule, IReadOnlyList<SnapshotFileHeader> Files, IReadOnlyDictionary<string, string> Settings,
    TimeSpan InitializationTimeout, TimeSpan StopTimeout, NativeWorkerSettings? Native = null,
    IReadOnlyList<InstanceState>? State = null, TimeSpan? StateCheckpointInterval = null, bool AwaitsGo = false) : WireMessage;

/// <summary>
/// The host takes a worker that waited, armed, behind the one serving (a hello with <see cref="Hello.AwaitsGo"/>): load
/// the plugin now, import <see cref="State"/> (the predecessor's last, or null), then welcome.
/// </summary>
internal sealed record Go(IReadOnlyList<InstanceState>? State) : WireMessage;

/// <summary>
/// What a worker of a native plugin loads it with: the host's adapter to the contract, named (<see cref="NativeAdapterReference"/>),
/// and the host's native loader settings that are data, the interface layouts it declared among them (<see cref="Layouts"/>:
/// the worker refuses a plugin built against another layout, PB0418, as the host does). The loader's host interface
/// tables and log are the host's objects and do not cross: the worker offers no host interface, and the plugin's log
/// goes to the host's logger.
/// </summary>
internal sealed record NativeWorkerSettings(NativeAdapterReference Adapter, TimeSpan InitTimeout, TimeSpan ShutdownTimeout, TimeSpan InvokeTimeout,
    long MaxOutputBytes, bool UnloadWhenAllowed, string? RuntimeIdentifier, IReadOnlyList<InterfaceLayoutOnWire>? Layouts = null);

/// <summary>One interface layout the host declared (<see cref="Native.NativeInterfaceLayout"/>) as data: its id, and its members' names and hashes in table order.</summary>
internal sealed record InterfaceLayoutOnWire(string Id, IReadOnlyList<string> MemberNames, IReadOnlyList<ulong> MemberHashes);

/// <summary>One file of the plugin as the host read it: where it sits in the folder, its length and its SHA-256 (lower-case hex).</summary>
internal sealed record SnapshotFileHeader(string RelativePath, long Length, string Sha256);

/// <summary>A piece of one file of the plugin, sent after the hello (a file of more than one chunk comes in order).</summary>
internal sealed record SnapshotChunk(string RelativePath, byte[] Data) : WireMessage;

/// <summary>The worker's answer to a hello it does not accept; the connection closes after it.</summary>
internal sealed record Refusal(int ProtocolVersion, string Reason) : WireMessage;

/// <summary>
/// The worker's answer to an accepted hello, once the plugin loaded (or failed to). <see cref="StateProblem"/> says why
/// the hello's state was not imported (the plugin serves without it); <see cref="TransfersState"/>, whether an entry
/// instance implements <see cref="IPluginStateTransfer"/> (only then does a reload hand its state over).
/// </summary>
internal sealed record Welcome(int ProtocolVersion, string PluginId, ApiIdentity HostApi, int Instances, int ProcessId, RemoteLoadError? Error, string? StateProblem = null,
    bool TransfersState = false) : WireMessage;

/// <summary>
/// The worker took its plugin's state (<see cref="IPluginStateTransfer.ExportState"/> with no call running), for the
/// host to hand to a restarted worker; or, with <see cref="Problem"/>, why it could not (the host keeps the last good one).
/// </summary>
internal sealed record StateCheckpoint(IReadOnlyList<InstanceState> Instances, string? Problem) : WireMessage;

/// <summary>
/// A reload asks the version it replaces for its state now (the host's calls to it have drained): the worker takes it
/// whether or not calls changed it since the last checkpoint, and answers with an <see cref="ExportReply"/>.
/// </summary>
internal sealed record ExportRequest(long Id) : WireMessage;

/// <summary>The state an <see cref="ExportRequest"/> asked for; or, with <see cref="Problem"/>, why it could not be taken.</summary>
internal sealed record ExportReply(long Id, IReadOnlyList<InstanceState> Instances, string? Problem) : WireMessage;

/// <summary>
/// A reload hands the new version, loaded and not yet called, its predecessor's state: each entry instance imports
/// the state of the instance of its type (a type the new version lacks is skipped, as in process). Answered with an
/// <see cref="ImportReply"/>.
/// </summary>
internal sealed record ImportRequest(long Id, IReadOnlyList<InstanceState> State) : WireMessage;

/// <summary>The end of an <see cref="ImportRequest"/>: null, or why the state was not imported.</summary>
internal sealed record ImportReply(long Id, string? Problem) : WireMessage;

/// <summary>
/// One entry instance's exported state: the instance's index and type (at a restart both versions are the same
/// build, so both match; a reload pairs by the type), the state's assembly-qualified type (a host API or framework
/// type) and the state as JSON of that type.
/// </summary>
internal sealed record InstanceState(int Instance, string EntryType, string StateType, JsonElement State)
{
    /// <summary>A state as JSON of its own runtime type, named so that the other side can read it back as that type.</summary>
    /// <exception cref="NotSupportedException">JSON cannot carry the state (also <see cref="JsonException"/>, <see cref="InvalidOperationException"/>).</exception>
    public static InstanceState Of(int instance, string entryType, object state)
    {
        Type type = state.GetType();
        return new InstanceState(instance, entryType, type.AssemblyQualifiedName!, JsonSerializer.SerializeToElement(state, type, WorkerProtocol.Json));
    }

    /// <summary>The state read back as its type, which must load in this process (a host API or framework type).</summary>
    /// <exception cref="TypeLoadException">The type does not load here (also <see cref="FileNotFoundException"/>, <see cref="FileLoadException"/>); or JSON cannot read it back (<see cref="NotSupportedException"/>, <see cref="JsonException"/>).</exception>
    public object? Read() => State.Deserialize(Type.GetType(StateType, throwOnError: true)!, WorkerProtocol.Json);
}

/// <summary>One call of a contract method on one entry instance; arguments as JSON of the parameters' declared types.</summary>
internal sealed record CallRequest(long Id, int Instance, int Method, string MethodName, IReadOnlyList<JsonElement> Arguments) : WireMessage;

/// <summary>The end of one call: its result as JSON of the method's declared return type, or what the plugin threw.</summary>
internal sealed record CallReply(long Id, JsonElement? Result, RemoteError? Error) : WireMessage;

/// <summary>The plugin calls a method of a host object passed to it by handle (a callback into the host), during the call that passed it.</summary>
internal sealed record HostCallRequest(long Id, long Handle, int Method, string MethodName, IReadOnlyList<JsonElement> Arguments) : WireMessage;

/// <summary>The host's answer to a <see cref="HostCallRequest"/>: the result, or what the host's object threw.</summary>
internal sealed record HostCallReply(long Id, JsonElement? Result, RemoteError? Error) : WireMessage;

/// <summary>The caller's cancellation token of a call in flight was cancelled: the worker cancels the token it gave the plugin.</summary>
internal sealed record CancelRequest(long Id) : WireMessage;

/// <summary>The host asks the worker to stop its plugin (stop hooks) and end.</summary>
internal sealed record Shutdown : WireMessage;

/// <summary>The host API as one side loaded it: a mismatch means the two sides would not agree on the contract.</summary>
internal sealed record ApiIdentity(string Name, string Version, Guid Mvid)
{
    public static ApiIdentity Of(Type contract)
    {
        System.Reflection.AssemblyName name = contract.Assembly.GetName();
        return new ApiIdentity(name.Name ?? "?", name.Version?.ToString() ?? "0.0.0.0", contract.Module.ModuleVersionId);
    }

    public override string ToString() => $"{Name} {Version} (build {Mvid})";
}

/// <summary>Why the worker could not load its plugin: the typed error its own loader raised.</summary>
internal sealed record RemoteLoadError(PluginErrorCode Code, string? Path, string Cause, string Fix);

/// <summary>An exception thrown by plugin code in the worker, as text.</summary>
internal sealed record RemoteError(string Type, string Message, string? StackTrace, RemoteError? Inner)
{
    public static RemoteError Of(Exception exception) =>
        new(exception is PluginCodeException code ? code.OriginalType : exception.GetType().FullName ?? exception.GetType().Name,
            exception.Message, exception.StackTrace, exception.InnerException is Exception inner ? Of(inner) : null);

    public PluginCodeException ToException() => new(Type, Message, StackTrace, Inner?.ToException());
}

/// <summary>The protocol's version and its JSON settings, the same on both sides.</summary>
internal static class WorkerProtocol
{
    /// <summary>Bumped whenever a message changes meaning (2: the plugin's files travel with the hello; 3: a hello may carry a native plugin's adapter and loader settings; 4: state checkpoints, and a hello may carry the state to import; 5: a hello may ask the worker to wait, armed, for a go; 6: a reload's state export and import, the welcome says whether the plugin transfers state, and a native plugin's settings carry the host's interface layouts).</summary>
    public const int Version = 6;

    /// <summary>The largest frame either side accepts (a bound, not a target: a bigger payload is refused, never allocated).</summary>
    public const int MaxFrameBytes = 64 * 1024 * 1024;

    /// <summary>Reflection-based System.Text.Json: contract data are the host API's own types, known only at run time.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General)
    {
        IncludeFields = false,
        Converters = { new JsonStringEnumConverter() },
    };
}
