using System.Buffers;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Plugboard.Native.Calls;
using Plugboard.Native.Internal;

namespace Plugboard.Native;

/// <summary>
/// A loaded and initialized native plugin. <see cref="Invoke(ReadOnlySpan{byte}, ReadOnlySpan{byte}, Span{byte}, nint)"/>
/// calls it without allocating; calls are serialized unless the plugin declared <see cref="NativePluginFlags.ThreadSafe"/>,
/// and a plugin that did not declare it is never re-entered (PB0412). Each call hands the plugin a fresh token as
/// <c>call_ctx</c> and <c>out_ctx</c>, valid only during that call on its thread. Dispose runs shutdown once (after
/// in-flight calls finish, bounded by <see cref="NativePluginLoaderOptions.ShutdownTimeout"/>); the library is closed
/// only when the plugin declared <see cref="NativePluginFlags.Unloadable"/>.
/// </summary>
public sealed unsafe partial class NativePlugin : IDisposable
{
    private static readonly Encoding StrictUtf8 = new UTF8Encoding(false, true);

    private readonly Lock _callGate = new();
    private readonly SharedLibrary _library;
    private readonly SharedLibrarySymbol _entry;
    private static long s_instances;

    private readonly HostContext _hostContext;
    private readonly AbiPluginDescriptor _descriptor;
    private readonly bool _serialize;
    private readonly bool _unloadOnDispose;
    private readonly long _number = Interlocked.Increment(ref s_instances);
    private readonly long _maxOutputBytes;
    private readonly TimeSpan _invokeTimeout;
    private readonly TimeSpan _shutdownTimeout;
    private readonly IPluginLog? _log;
    private readonly bool _hasDeadline;
    private int _deepCalls;
    private int _disposed;
    private volatile PluginException? _fault;

    private NativePlugin(NativeManifest manifest, string libraryPath, SharedLibrary library, SharedLibrarySymbol entry,
        HostContext hostContext, in AbiPluginDescriptor descriptor, string name, string version, NativePluginLoaderOptions options)
    {
        Id = manifest.Id;
        ManifestVersion = manifest.Version;
        LibraryPath = libraryPath;
        LoadedFrom = library.LoadedName;
        _library = library;
        _entry = entry;
        _hostContext = hostContext;
        _maxOutputBytes = options.MaxOutputBytes;
        _invokeTimeout = options.InvokeTimeout;
        _hasDeadline = _invokeTimeout != Timeout.InfiniteTimeSpan;
        _shutdownTimeout = options.ShutdownTimeout;
        _log = options.Log;
        _descriptor = descriptor;
        Name = name;
        Version = version;
        Flags = (NativePluginFlags)descriptor.Flags;
        AbiMinor = (int)descriptor.AbiMinor;
        _serialize = (Flags & NativePluginFlags.ThreadSafe) == 0;
        // Both must agree: the manifest (checked before loading, the packager's word) and the descriptor (the code's).
        _unloadOnDispose = options.UnloadWhenAllowed && manifest.Unloadable && (Flags & NativePluginFlags.Unloadable) != 0;
    }

    /// <summary>The plugin id (from the manifest, checked against the descriptor).</summary>
    public string Id { get; }

    /// <summary>The display name from the descriptor.</summary>
    public string Name { get; }

    /// <summary>The version from the descriptor.</summary>
    public string Version { get; }

    /// <summary>The version from the manifest.</summary>
    public string ManifestVersion { get; }

    /// <summary>What the plugin declared about itself.</summary>
    public NativePluginFlags Flags { get; }

    /// <summary>The ABI minor the plugin was built against.</summary>
    public int AbiMinor { get; }

    /// <summary>The library file in the plugin folder.</summary>
    public string LibraryPath { get; }

    /// <summary>The file actually opened (a unique copy when copy-on-load is on).</summary>
    public string LoadedFrom { get; }

    /// <summary>Whether the plugin was shut down.</summary>
    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>
    /// Why the plugin no longer takes calls: an invoke that passed its deadline (PB0414). Calls after a fault get PB0415.
    /// Null while the plugin is healthy.
    /// </summary>
    public PluginException? Fault => _fault;

    /// <summary>
    /// What went wrong in <see cref="Dispose"/>, or null: a call that never returned or a <c>shutdown</c> that passed
    /// <see cref="NativePluginLoaderOptions.ShutdownTimeout"/> (PB0416). Dispose itself never blocks longer than that
    /// and never throws; the library then stays mapped, because a thread may still run its code.
    /// </summary>
    public PluginException? ShutdownError { get; private set; }

    /// <summary>Whether the library was closed on dispose (only for plugins that declare themselves unloadable).</summary>
    public bool IsUnloaded => _library.IsClosed;

    /// <summary>
    /// Calls the plugin's invoke with UTF-8 operation and input, writing its output into <paramref name="output"/>.
    /// Allocates nothing on success (without a call deadline).
    /// </summary>
    /// <param name="operation">The operation name, UTF-8.</param>
    /// <param name="input">The input, UTF-8 (or any bytes the operation defines).</param>
    /// <param name="output">Where the plugin's output goes. Written only during this call.</param>
    /// <param name="callContext">Host state for call-scoped host interfaces, reached from the plugin's <c>call_ctx</c>
    /// through <see cref="NativeCall.TryGetContext"/> during this call only; 0 for none.</param>
    /// <returns>The number of bytes written to <paramref name="output"/>.</returns>
    /// <exception cref="PluginException">The plugin returned an error status (PB0409), the output did not fit (PB0409
    /// naming the size needed) or passed the output limit (PB0417), the call re-entered a plugin that is not thread-safe
    /// (PB0412), passed its deadline (PB0414), or the plugin is faulted (PB0415).</exception>
    /// <exception cref="ObjectDisposedException">The plugin was shut down.</exception>
    // The frame is set to default explicitly: zeroing every local in the prolog as well would do it twice per call.
    [SkipLocalsInit]
    public int Invoke(ReadOnlySpan<byte> operation, ReadOnlySpan<byte> input, Span<byte> output, nint callContext)
    {
        if (_hasDeadline)
        {
            return InvokeWithDeadline(operation, input, output, callContext);
        }
        fixed (byte* op = operation)
        fixed (byte* inp = input)
        fixed (byte* outp = output)
        {
            CallFrame frame = default;
            frame.Buffer = outp;
            frame.Capacity = output.Length;
            frame.UserContext = callContext;
            int status = Call(&frame, op, operation.Length, inp, input.Length);
            if (status < 0 || frame.Refused)
            {
                ThrowIfFailed(operation, status, &frame);
            }
            return frame.Length;
        }
    }

    /// <summary>Calls the plugin's invoke, appending its output to a buffer writer.</summary>
    /// <param name="operation">The operation name, UTF-8.</param>
    /// <param name="input">The input bytes.</param>
    /// <param name="output">Receives the output (only during this call).</param>
    /// <param name="callContext">Host state for call-scoped host interfaces (see <see cref="NativeCall"/>); 0 for none.</param>
    /// <exception cref="PluginException">As for the span overload: PB0409, PB0412, PB0414, PB0415, PB0417.</exception>
    public void Invoke(ReadOnlySpan<byte> operation, ReadOnlySpan<byte> input, IBufferWriter<byte> output, nint callContext)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (_hasDeadline)
        {
            output.Write(InvokeWithDeadline(operation, input, callContext).WrittenSpan);
            return;
        }
        int status = CallIntoWriter(operation, input, output, callContext, out CallFrame frame);
        if (status < 0 || frame.Refused)
        {
            ThrowIfFailed(operation, status, &frame);
        }
    }

    /// <summary>Calls the plugin's invoke with text and returns its output as text. Convenient; allocates.</summary>
    /// <param name="operation">The operation name.</param>
    /// <param name="input">The input text.</param>
    /// <param name="callContext">Opaque host state passed as <c>call_ctx</c>; 0 for none.</param>
    /// <returns>The plugin's output.</returns>
    /// <exception cref="PluginException">The plugin returned an error status (PB0409) or its output is not UTF-8 (PB0410).</exception>
    public string Invoke(string operation, string input, nint callContext)
    {
        ArgumentNullException.ThrowIfNull(operation);
        byte[] op = Encoding.UTF8.GetBytes(operation);
        var writer = new ArrayBufferWriter<byte>();
        Invoke(op, Encoding.UTF8.GetBytes(input ?? string.Empty), writer, callContext);
        try
        {
            return StrictUtf8.GetString(writer.WrittenSpan);
        }
        catch (DecoderFallbackException e)
        {
            throw new PluginException(PluginErrorCode.NativeInvalidUtf8, Id, LibraryPath,
                $"invoke('{operation}') wrote output that is not valid UTF-8 ({e.Message}).",
                "Write UTF-8 text to the sink (the ABI's strings are UTF-8), or read the output as bytes.", e);
        }
    }

    /// <summary>Calls the plugin's invoke with text and no call context; see <see cref="Invoke(string, string, nint)"/>.</summary>
    /// <param name="operation">The operation name.</param>
    /// <param name="input">The input text.</param>
    /// <returns>The plugin's output.</returns>
    public string Invoke(string operation, string input) => Invoke(operation, input, 0);

    /// <summary>Asks the plugin for one of its own interfaces by versioned id.</summary>
    /// <param name="id">For example <c>wordfreq.stats/1</c>.</param>
    /// <returns>The plugin-owned table address, or zero when absent (or when the plugin offers none).</returns>
    public nint GetInterface(string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        if (_descriptor.GetInterface == null)
        {
            return 0;
        }
        byte[] bytes = Encoding.UTF8.GetBytes(id);
        fixed (byte* p = bytes)
        {
            return _descriptor.GetInterface(_descriptor.PluginContext, p, (nuint)bytes.Length);
        }
    }

    /// <summary>
    /// Shuts the plugin down once and closes its library if it declared itself unloadable. Waits for calls in flight and
    /// for <c>shutdown</c> at most <see cref="NativePluginLoaderOptions.ShutdownTimeout"/> each; when either does not
    /// return in time, <see cref="ShutdownError"/> says so (PB0416), the plugin's log gets it, and the library stays mapped.
    /// </summary>
    /// <exception cref="InvalidOperationException">Called from inside one of this plugin's own calls (a host callback).</exception>
    public void Dispose()
    {
        if (CallFrames.FindPlugin(_number) != null)
        {
            // The per-plugin lock is re-entrant: shutdown would run under the plugin's own invoke.
            throw new InvalidOperationException($"Plugin '{Name}' cannot be disposed from inside its own call (a host callback); dispose it after the call returns.");
        }
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        bool locked = false;
        try
        {
            if (!WaitForCallsInFlight(ref locked))
            {
                Abandon($"A call into the plugin did not return within {Describe(_shutdownTimeout)}, so shutdown was not called.");
                return;
            }
            bool done = BoundedCall.Run(() =>
            {
                _descriptor.Shutdown(_descriptor.PluginContext);
                return true;
            }, _shutdownTimeout, $"plugboard shutdown {Id}", out _);
            if (!done)
            {
                Abandon($"shutdown did not return within {Describe(_shutdownTimeout)}.");
                return;
            }
        }
        finally
        {
            if (locked)
            {
                _callGate.Exit();
            }
        }
        _entry.Dispose();
        LiveImages.Release(_library.Handle);
        if (_unloadOnDispose)
        {
            _library.TryClose();
        }
        // From now on host functions called with this plugin's host_ctx fail instead of reaching a dead plugin.
        // The host table itself is never freed (a few bytes): the plugin or a thread it left may still read it.
        _hostContext.Retire();
    }

    /// <inheritdoc />
    public override string ToString() => $"{Id} {Version} ({LibraryPath})";

    internal static NativePlugin Start(NativeManifest manifest, string libraryPath, SharedLibrary library, SharedLibrarySymbol entry, NativePluginLoaderOptions options) =>
        BeginStart(manifest, libraryPath, library, entry, options).Finish();

    /// <summary>
    /// Starts entry and init on a call thread and returns at once (with an infinite <see cref="NativePluginLoaderOptions.InitTimeout"/>
    /// they run in <see cref="Starting.Finish"/>, on the loading thread), so a loader can start many plugins and then
    /// wait for all of them: a hung init costs its own timeout, never the others' time.
    /// </summary>
    internal static Starting BeginStart(NativeManifest manifest, string libraryPath, SharedLibrary library, SharedLibrarySymbol entry, NativePluginLoaderOptions options)
    {
        string id = manifest.Id;
        HostContext context = HostContext.Register(id, options.Log, options.Interfaces);
        var host = (AbiHostTable*)NativeMemory.AllocZeroed((nuint)sizeof(AbiHostTable));
        host->Magic = AbiConstants.HostMagic;
        host->StructSize = (uint)sizeof(AbiHostTable);
        host->AbiMajor = AbiConstants.AbiMajor;
        host->AbiMinor = AbiConstants.AbiMinor;
        host->HostContext = context.Key;
        host->Log = HostCallbacks.LogAddress;
        host->SetError = HostCallbacks.SetErrorAddress;
        host->GetInterface = HostCallbacks.GetInterfaceAddress;
        var entryFunction = (delegate* unmanaged[Cdecl]<AbiHostTable*, AbiPluginDescriptor*>)entry.Address;
        Func<(AbiPluginDescriptor, string, string)> body = () => EnterAndInit(entryFunction, host, id, libraryPath);
        return new Starting(manifest, libraryPath, library, entry, options, context, body,
            options.InitTimeout == Timeout.InfiniteTimeSpan ? null : BoundedCall.Start(body, $"plugboard init {id}"));
    }

    /// <summary>Entry and init of one plugin, started by <see cref="BeginStart"/>.</summary>
    internal sealed class Starting(NativeManifest manifest, string libraryPath, SharedLibrary library, SharedLibrarySymbol entry, NativePluginLoaderOptions options,
        HostContext context, Func<(AbiPluginDescriptor, string, string)> body, BoundedCall.Pending<(AbiPluginDescriptor, string, string)>? running)
    {
        private readonly long _started = Stopwatch.GetTimestamp();

        /// <summary>
        /// Completes (never faults) once entry and init returned or <see cref="NativePluginLoaderOptions.InitTimeout"/>
        /// passed, holding no thread meanwhile; <see cref="Finish"/> then returns at once. Completed already when init
        /// runs inline (an infinite InitTimeout): Finish runs it.
        /// </summary>
        public Task Settled => running?.Settled(options.InitTimeout - Stopwatch.GetElapsedTime(_started)) ?? Task.CompletedTask;

        /// <summary>
        /// Waits for entry and init until <see cref="NativePluginLoaderOptions.InitTimeout"/> after they started. A plugin
        /// that hangs in either is abandoned (PB0413): no lock is held, its thread keeps running and its image stays claimed.
        /// </summary>
        public NativePlugin Finish()
        {
            (AbiPluginDescriptor Descriptor, string Name, string Version) started;
            try
            {
                if (running is null)
                {
                    started = body();
                }
                else
                {
                    TimeSpan left = options.InitTimeout - Stopwatch.GetElapsedTime(_started);
                    if (!running.Wait(left > TimeSpan.Zero ? left : TimeSpan.Zero, out started))
                    {
                        throw new PluginException(PluginErrorCode.NativeInitTimedOut, manifest.Id, libraryPath,
                            $"{AbiConstants.EntryV1} or init did not return within {Describe(options.InitTimeout)}. The plugin is abandoned: its thread may still run (a thread in native code cannot be stopped in-process), and its library stays loaded.",
                            "Make init return promptly (start long work on the plugin's own thread), or raise NativePluginLoaderOptions.InitTimeout. Code that must be killable belongs out of process.");
                    }
                }
            }
            catch (PluginException e) when (e.Code != PluginErrorCode.NativeInitTimedOut)
            {
                context.Retire();
                throw;
            }
            return new NativePlugin(manifest, libraryPath, library, entry, context, started.Descriptor, started.Name, started.Version, options);
        }
    }

    private static (AbiPluginDescriptor Descriptor, string Name, string Version) EnterAndInit(
        delegate* unmanaged[Cdecl]<AbiHostTable*, AbiPluginDescriptor*> entryFunction, AbiHostTable* host, string id, string libraryPath)
    {
        // Entry and init run outside any call of this thread (or inside a host callback's call: then under its token).
        nint outside = CallFrames.CurrentToken;
        PendingError.Clear();
        AbiPluginDescriptor* published = entryFunction(host);
        if (published == null)
        {
            string? message = PendingError.Take(outside, out int code);
            throw new PluginException(PluginErrorCode.NativeCallFailed, id, libraryPath,
                $"{AbiConstants.EntryV1} returned NULL: {message ?? "the plugin gave no reason (it did not call set_error)."}" + (message is null ? string.Empty : $" (code {code})"),
                "Fix the plugin's entry function; it must return its descriptor.");
        }
        (AbiPluginDescriptor descriptor, string descriptorId, string name, string version) = ValidateDescriptor(published, id, libraryPath);
        if (!string.Equals(descriptorId, id, StringComparison.Ordinal))
        {
            throw new PluginException(PluginErrorCode.NativeManifestInvalid, id, libraryPath,
                $"The library calls itself '{descriptorId}' but its manifest says '{id}'.",
                "Make plugin.json's id and the descriptor's id the same.");
        }
        PendingError.Clear();
        int status = descriptor.Init(descriptor.PluginContext, host);
        if (status < 0)
        {
            string? message = PendingError.Take(outside, out _);
            throw new PluginException(PluginErrorCode.NativeCallFailed, id, libraryPath,
                $"init returned {NativeStatus.Describe(status)}: {message ?? "the plugin gave no message (it did not call set_error)."}",
                "See the plugin's message; the plugin was not started and is not called again.");
        }
        return (descriptor, name, version);
    }

    /// <summary>
    /// Checks what a plugin's entry function returned: magic, ABI major, size, required functions, and that id, name and
    /// version are UTF-8. Reads only the fields of ABI 1.0 and calls nothing, so any descriptor gives a verdict.
    /// </summary>
    internal static (AbiPluginDescriptor Descriptor, string Id, string Name, string Version) ValidateDescriptor(AbiPluginDescriptor* published, string id, string libraryPath)
    {
        AbiPluginDescriptor descriptor = ReadDescriptor(published, id, libraryPath);
        if (!Utf8Text.TryDecode(descriptor.Id, descriptor.IdLength, out string descriptorId)
            || !Utf8Text.TryDecode(descriptor.Name, descriptor.NameLength, out string name)
            || !Utf8Text.TryDecode(descriptor.Version, descriptor.VersionLength, out string version))
        {
            throw new PluginException(PluginErrorCode.NativeInvalidUtf8, id, libraryPath,
                "The descriptor's id, name or version is not valid UTF-8 (or is NULL with a non-zero length).",
                "Store the descriptor strings as UTF-8 and pass their byte length.");
        }
        return (descriptor, descriptorId, name, version);
    }

    private static AbiPluginDescriptor ReadDescriptor(AbiPluginDescriptor* published, string id, string libraryPath)
    {
        // Read the leading fields first: struct_size says how much more may be read.
        if (published->Magic != AbiConstants.PluginMagic)
        {
            throw new PluginException(PluginErrorCode.NativeBadMagic, id, libraryPath,
                $"The descriptor's magic is 0x{published->Magic:X8}, expected 0x{AbiConstants.PluginMagic:X8} (PLUGBOARD_PLUGIN_MAGIC). The entry returned something that is not a pb_plugin.",
                "Return a pb_plugin whose magic is PLUGBOARD_PLUGIN_MAGIC.");
        }
        if (published->AbiMajor != AbiConstants.AbiMajor)
        {
            throw new PluginException(PluginErrorCode.NativeAbiVersionUnsupported, id, libraryPath,
                $"The descriptor declares ABI major {published->AbiMajor}; this host speaks ABI major {AbiConstants.AbiMajor}.",
                published->AbiMajor > AbiConstants.AbiMajor
                    ? "Update the host, or build the plugin against ABI 1."
                    : "Rebuild the plugin against the current plugboard.h.");
        }
        uint needed = (uint)sizeof(AbiPluginDescriptor);
        if (published->StructSize < needed)
        {
            throw new PluginException(PluginErrorCode.NativeStructTooSmall, id, libraryPath,
                $"The descriptor's struct_size is {published->StructSize} bytes; ABI 1.0 needs at least {needed}.",
                "Set struct_size = sizeof(pb_plugin) and build against the current plugboard.h.");
        }
        // Copy only the fields this host knows; a newer minor's appended fields are never read.
        AbiPluginDescriptor copy = *published;
        string? missing = copy.Init == null ? "init" : copy.Shutdown == null ? "shutdown" : copy.Invoke == null ? "invoke" : null;
        if (missing is not null)
        {
            throw new PluginException(PluginErrorCode.NativeRequiredFunctionMissing, id, libraryPath,
                $"The descriptor's required function '{missing}' is NULL.",
                "Set init, shutdown and invoke in the descriptor (get_interface is the only optional one).");
        }
        return copy;
    }

    /// <summary>
    /// The call gate and the native invoke, with the frame's token as <c>call_ctx</c> and <c>out_ctx</c> (valid only
    /// meanwhile). A thread-safe plugin's call takes no lock and no interlocked count: it publishes itself in this
    /// thread's call state (<see cref="CallFrames.Enter"/>), then checks that the plugin is still usable, which Dispose
    /// pairs with a process-wide barrier before it looks for running calls.
    /// </summary>
    private int Call(CallFrame* frame, byte* op, int opLength, byte* input, int inputLength)
    {
        frame->Limit = _maxOutputBytes;
        frame->Operation = op;
        frame->OperationLength = opLength;
        if (_serialize)
        {
            return CallSerialized(frame, op, opLength, input, inputLength);
        }
        ThreadCalls* calls = CallFrames.Enter(frame, _number, out bool published);
        if (!published)
        {
            Interlocked.Increment(ref _deepCalls);
        }
        if (Volatile.Read(ref _disposed) != 0 || _fault != null)
        {
            Leave(calls, frame, published);
            ThrowIfUnusable();
        }
        // Native code does not throw into the host (host functions catch everything), so no finally is needed.
        int status = _descriptor.Invoke(_descriptor.PluginContext, frame->Token, op, (nuint)opLength, input, (nuint)inputLength, frame->Token, CallSink.WriteAddress);
        Leave(calls, frame, published);
        return status;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Leave(ThreadCalls* calls, CallFrame* frame, bool published)
    {
        CallFrames.Exit(calls, frame);
        if (!published)
        {
            Interlocked.Decrement(ref _deepCalls);
        }
    }

    /// <summary>A plugin that is not thread-safe: one call at a time under its lock, never re-entered.</summary>
    private int CallSerialized(CallFrame* frame, byte* op, int opLength, byte* input, int inputLength)
    {
        ThrowIfReentry(op, opLength);
        lock (_callGate)
        {
            ThrowIfUnusable();
            // Dispose waits for this lock, so the published state need not be counted here.
            ThreadCalls* calls = CallFrames.Enter(frame, _number, out _);
            int status = _descriptor.Invoke(_descriptor.PluginContext, frame->Token, op, (nuint)opLength, input, (nuint)inputLength, frame->Token, CallSink.WriteAddress);
            CallFrames.Exit(calls, frame);
            return status;
        }
    }

    /// <summary>
    /// The per-plugin lock is re-entrant for its owner, so a host callback that calls this plugin again on the same
    /// thread would walk straight in: refuse instead (a thread-safe plugin accepts re-entry, so it is not asked).
    /// </summary>
    private void ThrowIfReentry(byte* op, int opLength)
    {
        CallFrame* running = CallFrames.FindPlugin(_number);
        if (running != null)
        {
            throw Reentered(op, opLength, running);
        }
    }

    /// <summary>
    /// The span overload's call with a deadline, apart so that the common path carries none of its locals (a frame the
    /// prolog would zero on every call).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private int InvokeWithDeadline(ReadOnlySpan<byte> operation, ReadOnlySpan<byte> input, Span<byte> output, nint callContext)
    {
        ArrayBufferWriter<byte> result = InvokeWithDeadline(operation, input, callContext);
        if (result.WrittenCount > output.Length)
        {
            throw Failure(operation, NativeStatus.BufferTooSmall, $"The output needs {result.WrittenCount} bytes but the buffer holds {output.Length}.",
                "Pass a larger output buffer, or use the IBufferWriter overload.");
        }
        result.WrittenSpan.CopyTo(output);
        return result.WrittenCount;
    }

    /// <summary>
    /// A call with a deadline: it runs on a host call thread with its own copies of the operation, the input and the
    /// output, so nothing of the caller's (stack, spans, buffer writer) is touched once the caller has given up on it.
    /// </summary>
    private ArrayBufferWriter<byte> InvokeWithDeadline(ReadOnlySpan<byte> operation, ReadOnlySpan<byte> input, nint callContext)
    {
        ThrowIfUnusable();
        if (_serialize)
        {
            // Checked here, on the caller's thread: the call itself runs on a fresh thread with no frames of its own.
            fixed (byte* name = operation)
            {
                ThrowIfReentry(name, operation.Length);
            }
        }
        byte[] op = operation.ToArray();
        byte[] inputCopy = input.ToArray();
        var output = new ArrayBufferWriter<byte>();
        bool done = BoundedCall.Run(() => CallOnThisThread(op, inputCopy, output, callContext), _invokeTimeout, $"plugboard invoke {Id}", out DeadlineResult result);
        if (!done)
        {
            string text = Encoding.UTF8.GetString(operation);
            var fault = new PluginException(PluginErrorCode.NativeInvokeTimedOut, Id, LibraryPath,
                $"invoke('{text}') of plugin '{Name}' did not return within {Describe(_invokeTimeout)}. The plugin is faulted and takes no more calls; the stuck thread may still run (a thread in native code cannot be stopped in-process).",
                "Find out why the operation hangs, or raise NativePluginLoaderOptions.InvokeTimeout; load the plugin again to use it. Code that must be killable belongs out of process.");
            _fault ??= fault;
            throw fault;
        }
        if (result.Status < 0 || result.LimitExceeded)
        {
            throw Failed(operation, result.Status, result.LimitExceeded, result.Needed, result.Message);
        }
        return output;
    }

    private DeadlineResult CallOnThisThread(byte[] operation, byte[] input, ArrayBufferWriter<byte> output, nint callContext)
    {
        int status = CallIntoWriter(operation, input, output, callContext, out CallFrame frame);
        string? message = status < 0 ? PendingError.Take(frame.Token, out _) : null;
        return new DeadlineResult(status, frame.LimitExceeded, frame.Needed, message);
    }

    /// <summary>One call with a buffer writer as its sink (the writer overload and the deadline path); the frame is returned as it ended.</summary>
    private int CallIntoWriter(ReadOnlySpan<byte> operation, ReadOnlySpan<byte> input, IBufferWriter<byte> output, nint callContext, out CallFrame ended)
    {
        GCHandle handle = GCHandle.Alloc(output);
        try
        {
            fixed (byte* op = operation)
            fixed (byte* inp = input)
            {
                CallFrame frame = default;
                frame.Writer = GCHandle.ToIntPtr(handle);
                frame.UserContext = callContext;
                int status = Call(&frame, op, operation.Length, inp, input.Length);
                ended = frame;
                return status;
            }
        }
        finally
        {
            handle.Free();
        }
    }

    private void ThrowIfUnusable()
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        if (_fault is PluginException fault)
        {
            throw new PluginException(PluginErrorCode.NativePluginFaulted, Id, LibraryPath,
                $"Plugin '{Name}' is faulted and takes no more calls: {fault.Cause}",
                "Dispose it and load it again once the cause is fixed.", fault);
        }
    }

    private bool WaitForCallsInFlight(ref bool locked)
    {
        if (_serialize)
        {
            locked = _callGate.TryEnter(_shutdownTimeout);
            return locked;
        }
        // _disposed is set (a full fence). Every thread now runs a barrier too, so a call that published itself before
        // checking _disposed is visible below, and one that checks after it sees _disposed and never calls.
        Interlocked.MemoryBarrierProcessWide();
        long deadline = _shutdownTimeout == Timeout.InfiniteTimeSpan ? long.MaxValue : Stopwatch.GetTimestamp() + (long)(_shutdownTimeout.TotalSeconds * Stopwatch.Frequency);
        while (CallFrames.IsRunning(_number) || Volatile.Read(ref _deepCalls) > 0)
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                return false;
            }
            Thread.Sleep(1);
        }
        return true;
    }

    private void Abandon(string cause)
    {
        ShutdownError = new PluginException(PluginErrorCode.NativeShutdownTimedOut, Id, LibraryPath,
            $"Plugin '{Name}' never finished: {cause} The plugin is abandoned and its library stays loaded (a thread in native code cannot be stopped in-process).",
            "Find the call or shutdown that hangs (NativePluginLoaderOptions.InvokeTimeout makes calls fail instead of hang), or raise ShutdownTimeout. Code that must be killable belongs out of process.");
        _log?.Write(PluginLogLevel.Error, ShutdownError.Message, ShutdownError);
    }

    private static string Describe(TimeSpan timeout) => timeout.TotalSeconds >= 1 ? $"{timeout.TotalSeconds:0.###} s" : $"{timeout.TotalMilliseconds:0} ms";

    private void ThrowIfFailed(ReadOnlySpan<byte> operation, int status, CallFrame* frame)
    {
        if (frame->LimitExceeded)
        {
            throw Failed(operation, status, true, frame->Needed, PendingError.Take(frame->Token, out _));
        }
        if (frame->BufferOverflowed)
        {
            throw Failure(operation, status, $"The output needs {frame->Needed} bytes but the buffer holds {frame->Capacity}.",
                "Pass a larger output buffer, or use the IBufferWriter overload.");
        }
        if (status < 0)
        {
            throw Failed(operation, status, false, 0, PendingError.Take(frame->Token, out _));
        }
    }

    private PluginException Failed(ReadOnlySpan<byte> operation, int status, bool limitExceeded, long needed, string? message)
    {
        PendingError.Clear();
        string op = Encoding.UTF8.GetString(operation);
        if (limitExceeded)
        {
            return new PluginException(PluginErrorCode.NativeOutputLimitExceeded, Id, LibraryPath,
                $"invoke('{op}') of plugin '{Name}' tried to write {needed} bytes; the limit per call is {_maxOutputBytes} bytes. The sink refused the excess with PB_ERR_BUFFER_TOO_SMALL and the plugin returned {NativeStatus.Describe(status)}.",
                "Write less per call (page through the result), or raise NativePluginLoaderOptions.MaxOutputBytes.");
        }
        if (status == NativeStatus.Reentered)
        {
            return new PluginException(PluginErrorCode.NativeReentered, Id, LibraryPath,
                $"invoke('{op}') of plugin '{Name}' returned {NativeStatus.Describe(status)}: {message ?? "the plugin refused to be re-entered."}",
                "Do not call a plugin again from inside its own call (a host callback it triggered); queue the work and run it after the call returns.");
        }
        return Failure(operation, status,
            message ?? "The plugin gave no message (it did not call set_error).",
            "See the plugin's message and its documentation for this operation; the plugin stays loaded and can be called again.");
    }

    private PluginException Reentered(byte* op, int opLength, CallFrame* running)
    {
        string inner = Encoding.UTF8.GetString(op, opLength);
        string outer = Encoding.UTF8.GetString(running->Operation, running->OperationLength);
        return new PluginException(PluginErrorCode.NativeReentered, Id, LibraryPath,
            $"invoke('{inner}') would re-enter plugin '{Name}' on the thread where its invoke('{outer}') is still running (through a host callback). The plugin does not declare PB_FLAG_THREAD_SAFE, so the host refuses instead of re-entering it.",
            "Do not call a plugin again from inside its own call; queue the work and run it after the call returns, or make the plugin re-entrant and declare PB_FLAG_THREAD_SAFE.");
    }

    private PluginException Failure(ReadOnlySpan<byte> operation, int status, string detail, string fix)
    {
        PendingError.Clear();
        string op = Encoding.UTF8.GetString(operation);
        return new PluginException(PluginErrorCode.NativeCallFailed, Id, LibraryPath,
            $"invoke('{op}') of plugin '{Name}' returned {NativeStatus.Describe(status)}: {detail}", fix);
    }

    private readonly record struct DeadlineResult(int Status, bool LimitExceeded, long Needed, string? Message);
}
