using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using Plugboard.Native.Internal;

namespace Plugboard.Native;

/// <summary>
/// A loaded and initialized native plugin. <see cref="Invoke(ReadOnlySpan{byte}, ReadOnlySpan{byte}, Span{byte}, nint)"/>
/// calls it without allocating; calls are serialized unless the plugin declared <see cref="NativePluginFlags.ThreadSafe"/>.
/// Dispose runs shutdown once (after in-flight calls finish); the library is closed only when the plugin declared
/// <see cref="NativePluginFlags.Unloadable"/>.
/// </summary>
public sealed unsafe class NativePlugin : IDisposable
{
    private static readonly Encoding StrictUtf8 = new UTF8Encoding(false, true);

    private readonly Lock _callGate = new();
    private readonly SharedLibrary _library;
    private readonly SharedLibrarySymbol _entry;
    private readonly AbiHostTable* _hostTable;
    private readonly GCHandle _hostContext;
    private readonly AbiPluginDescriptor _descriptor;
    private readonly bool _serialize;
    private readonly bool _unloadOnDispose;
    private int _inFlight;
    private int _disposed;

    private NativePlugin(NativeManifest manifest, string libraryPath, SharedLibrary library, SharedLibrarySymbol entry,
        AbiHostTable* hostTable, GCHandle hostContext, in AbiPluginDescriptor descriptor, string name, string version, bool unloadOnDispose)
    {
        Id = manifest.Id;
        ManifestVersion = manifest.Version;
        LibraryPath = libraryPath;
        LoadedFrom = library.LoadedName;
        _library = library;
        _entry = entry;
        _hostTable = hostTable;
        _hostContext = hostContext;
        _descriptor = descriptor;
        Name = name;
        Version = version;
        Flags = (NativePluginFlags)descriptor.Flags;
        AbiMinor = (int)descriptor.AbiMinor;
        _serialize = (Flags & NativePluginFlags.ThreadSafe) == 0;
        // Both must agree: the manifest (checked before loading, the packager's word) and the descriptor (the code's).
        _unloadOnDispose = unloadOnDispose && manifest.Unloadable && (Flags & NativePluginFlags.Unloadable) != 0;
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

    /// <summary>Whether the library was closed on dispose (only for plugins that declare themselves unloadable).</summary>
    public bool IsUnloaded => _library.IsClosed;

    /// <summary>
    /// Calls the plugin's invoke with UTF-8 operation and input, writing its output into <paramref name="output"/>.
    /// Allocates nothing on success.
    /// </summary>
    /// <param name="operation">The operation name, UTF-8.</param>
    /// <param name="input">The input, UTF-8 (or any bytes the operation defines).</param>
    /// <param name="output">Where the plugin's output goes.</param>
    /// <param name="callContext">Opaque host state passed as <c>call_ctx</c> (for call-scoped host interfaces); 0 for none.</param>
    /// <returns>The number of bytes written to <paramref name="output"/>.</returns>
    /// <exception cref="PluginException">The plugin returned an error status (PB0409), or the output did not fit (PB0409 naming the size needed).</exception>
    /// <exception cref="ObjectDisposedException">The plugin was shut down.</exception>
    public int Invoke(ReadOnlySpan<byte> operation, ReadOnlySpan<byte> input, Span<byte> output, nint callContext)
    {
        fixed (byte* op = operation)
        fixed (byte* inp = input)
        fixed (byte* outp = output)
        {
            var sink = new SpanSink { Buffer = outp, Capacity = output.Length };
            int status = Call(op, operation.Length, inp, input.Length, (nint)(&sink), SpanSink.WriteAddress, callContext);
            if (sink.Overflowed)
            {
                throw Failure(operation, status, $"The output needs {sink.Needed} bytes but the buffer holds {output.Length}.",
                    "Pass a larger output buffer, or use the IBufferWriter overload.");
            }
            if (status < 0)
            {
                throw CallFailed(operation, status);
            }
            return sink.Length;
        }
    }

    /// <summary>Calls the plugin's invoke, appending its output to a buffer writer.</summary>
    /// <param name="operation">The operation name, UTF-8.</param>
    /// <param name="input">The input bytes.</param>
    /// <param name="output">Receives the output.</param>
    /// <param name="callContext">Opaque host state passed as <c>call_ctx</c>; 0 for none.</param>
    /// <exception cref="PluginException">The plugin returned an error status (PB0409).</exception>
    public void Invoke(ReadOnlySpan<byte> operation, ReadOnlySpan<byte> input, IBufferWriter<byte> output, nint callContext)
    {
        ArgumentNullException.ThrowIfNull(output);
        GCHandle handle = GCHandle.Alloc(output);
        try
        {
            fixed (byte* op = operation)
            fixed (byte* inp = input)
            {
                int status = Call(op, operation.Length, inp, input.Length, GCHandle.ToIntPtr(handle), BufferWriterSink.WriteAddress, callContext);
                if (status < 0)
                {
                    throw CallFailed(operation, status);
                }
            }
        }
        finally
        {
            handle.Free();
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

    /// <summary>Shuts the plugin down once (waiting for calls in flight) and closes its library if it declared itself unloadable.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        lock (_callGate)
        {
            SpinWait spin = default;
            while (Volatile.Read(ref _inFlight) > 0)
            {
                spin.SpinOnce();
            }
            _descriptor.Shutdown(_descriptor.PluginContext);
        }
        _entry.Dispose();
        LiveImages.Release(_library.Handle);
        if (_unloadOnDispose)
        {
            _library.TryClose();
        }
        // The host table and context outlive shutdown only as long as the ABI promises (until shutdown returns).
        _hostContext.Free();
        NativeMemory.Free(_hostTable);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Id} {Version} ({LibraryPath})";

    internal static NativePlugin Start(NativeManifest manifest, string libraryPath, SharedLibrary library, SharedLibrarySymbol entry, NativePluginLoaderOptions options)
    {
        string id = manifest.Id;
        var context = new HostContext(id, options.Log, options.Interfaces);
        // Both live until Dispose; on a failed load they are kept (leaked, small) because the plugin may hold them.
        GCHandle contextHandle = GCHandle.Alloc(context);
        var host = (AbiHostTable*)NativeMemory.AllocZeroed((nuint)sizeof(AbiHostTable));
        host->Magic = AbiConstants.HostMagic;
        host->StructSize = (uint)sizeof(AbiHostTable);
        host->AbiMajor = AbiConstants.AbiMajor;
        host->AbiMinor = AbiConstants.AbiMinor;
        host->HostContext = GCHandle.ToIntPtr(contextHandle);
        host->Log = HostCallbacks.LogAddress;
        host->SetError = HostCallbacks.SetErrorAddress;
        host->GetInterface = HostCallbacks.GetInterfaceAddress;

        var entryFunction = (delegate* unmanaged[Cdecl]<AbiHostTable*, AbiPluginDescriptor*>)entry.Address;
        PendingError.Clear();
        AbiPluginDescriptor* published = entryFunction(host);
        if (published == null)
        {
            string? message = PendingError.Take(out int code);
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
            string? message = PendingError.Take(out _);
            throw new PluginException(PluginErrorCode.NativeCallFailed, id, libraryPath,
                $"init returned {NativeStatus.Describe(status)}: {message ?? "the plugin gave no message (it did not call set_error)."}",
                "See the plugin's message; the plugin was not started and is not called again.");
        }
        return new NativePlugin(manifest, libraryPath, library, entry, host, contextHandle, descriptor, name, version, options.UnloadWhenAllowed);
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

    private int Call(byte* op, int opLength, byte* input, int inputLength, nint sinkContext,
        delegate* unmanaged[Cdecl]<nint, byte*, nuint, int> sinkWrite, nint callContext)
    {
        PendingError.Clear();
        if (_serialize)
        {
            lock (_callGate)
            {
                ObjectDisposedException.ThrowIf(IsDisposed, this);
                return _descriptor.Invoke(_descriptor.PluginContext, callContext, op, (nuint)opLength, input, (nuint)inputLength, sinkContext, sinkWrite);
            }
        }
        Interlocked.Increment(ref _inFlight);
        try
        {
            ObjectDisposedException.ThrowIf(IsDisposed, this);
            return _descriptor.Invoke(_descriptor.PluginContext, callContext, op, (nuint)opLength, input, (nuint)inputLength, sinkContext, sinkWrite);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private PluginException CallFailed(ReadOnlySpan<byte> operation, int status)
    {
        string? message = PendingError.Take(out _);
        return Failure(operation, status,
            message ?? "The plugin gave no message (it did not call set_error).",
            "See the plugin's message and its documentation for this operation; the plugin stays loaded and can be called again.");
    }

    private PluginException Failure(ReadOnlySpan<byte> operation, int status, string detail, string fix)
    {
        PendingError.Clear();
        string op = Encoding.UTF8.GetString(operation);
        return new PluginException(PluginErrorCode.NativeCallFailed, Id, LibraryPath,
            $"invoke('{op}') of plugin '{Name}' returned {NativeStatus.Describe(status)}: {detail}", fix);
    }
}
