namespace Plugboard;

/// <summary>
/// Stable codes of every failure Plugboard reports. Each is printed as <c>PB</c> plus four digits
/// (<see cref="PluginErrorCode.HostApiVersionIncompatible"/> is <c>PB0201</c>) and documented with its cause
/// and fix in <c>docs/errors.md</c>. Values never change meaning; new ones are only added.
/// </summary>
public enum PluginErrorCode
{
    /// <summary>The plugins folder or a plugin's folder does not exist.</summary>
    DirectoryNotFound = 101,
    /// <summary>The plugin's main assembly (or a file its manifest names) is missing.</summary>
    AssemblyNotFound = 102,
    /// <summary>The file is not a .NET assembly, or is truncated or corrupt.</summary>
    NotAManagedAssembly = 103,
    /// <summary><c>plugin.json</c> is not valid JSON or breaks the manifest schema.</summary>
    ManifestInvalid = 104,
    /// <summary>Two plugins declare the same id.</summary>
    DuplicatePluginId = 105,
    /// <summary>The file is a reference assembly (metadata only, no code).</summary>
    ReferenceAssembly = 106,
    /// <summary>A manifest path leaves the plugin's folder.</summary>
    PathEscapesPluginDirectory = 107,
    /// <summary>A plugin folder holds a named pipe, device or socket, which Plugboard refuses to open.</summary>
    SpecialFileInPluginFolder = 108,
    /// <summary>A plugin file is larger than its limit (manifest, deps.json, any file, or the whole folder).</summary>
    PluginFileTooLarge = 109,
    /// <summary>Another process holds a plugin file locked for exclusive use.</summary>
    PluginFileLocked = 110,
    /// <summary>A plugin file cannot be read (permissions, I/O error, broken link).</summary>
    PluginFileUnreadable = 111,
    /// <summary>A plugin file changed while it was being read.</summary>
    PluginFileChangedWhileReading = 112,
    /// <summary>The plugin's files differ from the ones discovery read, so the catalog entry no longer describes them.</summary>
    PluginChangedSinceDiscovery = 113,
    /// <summary>A plugin folder holds more files, or deeper folders, than discovery reads.</summary>
    PluginFolderTooLarge = 114,
    /// <summary>The plugin's main assembly has the name of an assembly the host shares (such as Plugboard.Abstractions or the host API).</summary>
    PluginNamedLikeSharedAssembly = 115,
    /// <summary>The plugin's folder holds a deploy's marker (<c>.plugboard-deploying</c>): a build is updating its files, or was interrupted while doing so.</summary>
    DeployInProgress = 116,

    /// <summary>The plugin was built against a host API version this host cannot serve.</summary>
    HostApiVersionIncompatible = 201,
    /// <summary>The plugin uses host API types or members this host's API does not have.</summary>
    HostApiMembersMissing = 202,
    /// <summary>A private dependency of the plugin is not in its folder.</summary>
    MissingPrivateDependency = 203,
    /// <summary>A private dependency in the plugin's folder is older than the version the plugin references.</summary>
    DependencyVersionTooLow = 204,
    /// <summary>The plugin targets a newer .NET runtime than the host runs on.</summary>
    RuntimeTooNew = 205,
    /// <summary>The plugin ships its own copy of an assembly the host shares (usually the host API).</summary>
    SharedAssemblyShipped = 206,
    /// <summary>The plugin needs a shared framework (its runtimeconfig, e.g. Microsoft.AspNetCore.App) that this host does not run.</summary>
    SharedFrameworkNotInHost = 207,
    /// <summary>A plugin type does not implement an abstract member of a host API interface or abstract class, or derives from a sealed API class.</summary>
    ContractMemberNotImplemented = 208,
    /// <summary>The plugin uses a host API type or member that exists but is not accessible to it (internal, private, or protected outside a derived type).</summary>
    HostApiMemberNotAccessible = 209,
    /// <summary>A plugin dependency exposes a third-party type in its public API and this plugin loads its own copy of that library: two type identities.</summary>
    PluginDependencyTypeConflict = 210,

    /// <summary>No entry type was declared or found.</summary>
    NoEntryPoint = 301,
    /// <summary>A declared entry type is missing, abstract, not public, lacks a usable constructor or does not implement the contract.</summary>
    EntryTypeNotCreatable = 302,
    /// <summary>The entry type's constructor threw.</summary>
    ConstructorThrew = 303,
    /// <summary>The plugin's initialize or start hook threw.</summary>
    InitializationFailed = 304,
    /// <summary>The plugin's initialize or start hook did not finish in time.</summary>
    InitializationTimedOut = 305,
    /// <summary>The plugin's stop hook threw.</summary>
    StopFailed = 306,
    /// <summary>Loading the plugin's assemblies failed in the runtime.</summary>
    LoadFailed = 307,
    /// <summary>The plugin failed too many calls in a row and is no longer called.</summary>
    PluginFaulted = 308,
    /// <summary>Handing state from the old version of a plugin to the new one failed; the old version keeps serving.</summary>
    StateTransferFailed = 309,
    /// <summary>The plugin was unloaded; calls to it are no longer possible.</summary>
    PluginUnloaded = 310,
    /// <summary>The host's adapter from a native plugin to the contract threw or returned null; the native plugin was shut down.</summary>
    NativeAdapterFailed = 311,
    /// <summary>A state-transfer reload could not drain the old version's calls within the drain timeout; the old version keeps serving.</summary>
    ReloadDrainTimedOut = 312,
    /// <summary>A reload was cancelled before the new version was swapped in; the old version keeps serving and the new one was discarded.</summary>
    ReloadCanceled = 313,
    /// <summary>A call waited longer than the host's bounds for a reload of the plugin to finish.</summary>
    PluginBusy = 314,
    /// <summary>A catalog load was cancelled before this plugin was fully started; nothing of it stays loaded.</summary>
    LoadCanceled = 315,
    /// <summary>The plugin's stop hook did not finish in time: the plugin is abandoned with its hook still running.</summary>
    StopTimedOut = 320,

    /// <summary>The native plugin's sidecar manifest is missing or invalid.</summary>
    NativeManifestInvalid = 401,
    /// <summary>The native manifest names no library for this runtime identifier, or the file is missing.</summary>
    NativeLibraryMissingForRuntime = 402,
    /// <summary>The operating system's loader refused the library.</summary>
    NativeLibraryLoadFailed = 403,
    /// <summary>The library does not export the entry function of a supported ABI major.</summary>
    NativeEntryPointMissing = 404,
    /// <summary>The descriptor's magic number is wrong.</summary>
    NativeBadMagic = 405,
    /// <summary>The plugin's ABI major version is not one this host speaks.</summary>
    NativeAbiVersionUnsupported = 406,
    /// <summary>The descriptor is smaller than the ABI version it claims requires.</summary>
    NativeStructTooSmall = 407,
    /// <summary>A required function pointer of the descriptor is null.</summary>
    NativeRequiredFunctionMissing = 408,
    /// <summary>A native plugin function returned an error status.</summary>
    NativeCallFailed = 409,
    /// <summary>A native plugin passed a string that is not valid UTF-8.</summary>
    NativeInvalidUtf8 = 410,
    /// <summary>A managed plugin was asked of a host published with NativeAOT, which cannot load managed code.</summary>
    ManagedPluginInNativeAotHost = 411,
    /// <summary>A call would re-enter a native plugin that does not declare itself thread-safe (through a host callback), or the plugin refused re-entry.</summary>
    NativeReentered = 412,
    /// <summary>A native plugin's entry function or init did not return within the init timeout.</summary>
    NativeInitTimedOut = 413,
    /// <summary>A native plugin's invoke did not return within the call deadline; the plugin is faulted.</summary>
    NativeInvokeTimedOut = 414,
    /// <summary>A call reached a native plugin that is faulted (an earlier call passed its deadline).</summary>
    NativePluginFaulted = 415,
    /// <summary>Disposing a native plugin: a call in flight or shutdown did not return within the shutdown timeout.</summary>
    NativeShutdownTimedOut = 416,
    /// <summary>A native plugin's invoke wrote more than the per-call output limit.</summary>
    NativeOutputLimitExceeded = 417,
    /// <summary>A native plugin was built against another layout of an exported interface than this host's (its manifest's member hashes differ).</summary>
    NativeInterfaceLayoutMismatch = 418,
    /// <summary>A generated proxy needs a host interface table to pass as a handle to the plugin's contract, and the host loaded the plugin without offering it.</summary>
    NativeHostInterfaceMissing = 419,

    /// <summary>A plugin this plugin depends on is not in the catalog.</summary>
    DependencyMissing = 501,
    /// <summary>A plugin this plugin depends on has a version outside the declared range.</summary>
    DependencyVersionMismatch = 502,
    /// <summary>Plugins depend on each other in a cycle.</summary>
    DependencyCycle = 503,
    /// <summary>A plugin this plugin depends on failed to load.</summary>
    DependencyFailed = 504,

    /// <summary>A plugin file does not match the lock file, or the lock file does not list it.</summary>
    IntegrityCheckFailed = 601,
    /// <summary>The plugin folder is not allowed by the trust policy (not allow-listed, or writable by others).</summary>
    UntrustedLocation = 602,
    /// <summary>Strict mode: a plugin file or folder belongs to a user other than the host's user or root.</summary>
    UntrustedOwner = 603,
    /// <summary>Strict mode: a folder from the allowed root down to the plugin folder can be written by others.</summary>
    UntrustedParentFolder = 604,
    /// <summary>The lock file itself can be changed by others, or belongs to another user (strict mode).</summary>
    UntrustedLockFile = 605,
    /// <summary>At run time the plugin's context was asked for a file that is not part of the vetted snapshot of its folder.</summary>
    FileOutsideSnapshot = 606,

    /// <summary>The worker program that runs out-of-process plugins (Plugboard.Worker.dll beside Plugboard.dll) or the runtime's <c>dotnet</c> muxer was not found.</summary>
    WorkerNotFound = 701,
    /// <summary>The worker process of an out-of-process plugin did not start, or did not answer the handshake within the start timeout.</summary>
    WorkerStartFailed = 702,
    /// <summary>The handshake with a plugin's worker failed: protocol version, secret, host API identity or plugin id differ between the two sides.</summary>
    WorkerHandshakeRefused = 703,
    /// <summary>The contract cannot cross a process boundary: it is not an interface, or a member takes or returns something that is not serializable data.</summary>
    ContractCannotCrossProcess = 704,
    /// <summary>The worker process of an out-of-process plugin ended (crashed, exited, was killed) while calls were in flight.</summary>
    WorkerCrashed = 705,
    /// <summary>A call to an out-of-process plugin did not return within its deadline; the worker was killed and restarts.</summary>
    WorkerCallTimedOut = 706,
    /// <summary>The worker of an out-of-process plugin crashed too often within the crash window; it is not restarted and the plugin is faulted until reloaded.</summary>
    WorkerCrashLimitReached = 707,
    /// <summary>A native plugin was to run out of process, but the host's adapter to the contract cannot be made in a worker process (it captures host state, or its assembly has no file).</summary>
    NativeOutOfProcessNotSupported = 708,
    /// <summary>The worker sent something the protocol does not allow (a malformed or oversized message, an answer to no call).</summary>
    WorkerProtocolViolation = 709,
    /// <summary>An argument or result of a call to an out-of-process plugin could not be serialized or deserialized.</summary>
    CallDataNotSerializable = 710,
    /// <summary>An out-of-process plugin's call allocated past its worker's memory limit; the worker was killed and is restarted.</summary>
    WorkerMemoryLimitExceeded = 711,
    /// <summary>An out-of-process plugin's state could not be taken in its worker, or not handed to the worker restarted after a crash; the plugin serves on (restarted without that state).</summary>
    WorkerStateNotHandedOver = 712,
    /// <summary>A plugin depends on another plugin (it uses its types) and one of the two runs out of process: a plugin shares its types with its dependents in one process only.</summary>
    DependencyAcrossProcesses = 713,

    /// <summary>A web plugin's endpoint threw while handling a request; the client got a problem-details response (500) and the server kept running.</summary>
    WebEndpointFailed = 801,
    /// <summary>A web plugin's <c>IWebPlugin.MapEndpoints</c> threw, or mapped a route the host cannot serve; the plugin stays loaded without endpoints.</summary>
    WebEndpointsNotMapped = 802,
    /// <summary>The plugin dashboard was asked to reload or unload a plugin that no host of the application has loaded (an unknown id, or a plugin already unloaded).</summary>
    DashboardPluginNotLoaded = 803,
}
