namespace Plugboard.Native.Aot;

/// <summary>
/// Base class of a native plugin written in C# and published with NativeAOT. Subclass it, then export the entry
/// function with one line (see <see cref="AotPluginEntry"/>). Every export catches every exception: a throw becomes
/// an error status plus a <c>set_error</c> message, never an unwind into the host.
/// </summary>
/// <remarks>
/// NativeAOT libraries carry their own runtime and GC and can never be unloaded, so the descriptor never declares
/// itself unloadable. A call from a CoreCLR host into a NativeAOT plugin costs several times a call into C or Rust
/// (it enters a second runtime): design operations to be coarse.
/// </remarks>
public abstract class AotPlugin
{
    /// <summary>The plugin id; must equal the manifest's id.</summary>
    public abstract string Id { get; }

    /// <summary>A human-readable name.</summary>
    public abstract string Name { get; }

    /// <summary>The plugin's semantic version.</summary>
    public abstract string Version { get; }

    /// <summary>Whether <see cref="Invoke"/> may run on several threads at once; the host serializes calls otherwise.</summary>
    public virtual bool IsThreadSafe => false;

    /// <summary>The host, set before <see cref="Initialize"/> runs; valid until <see cref="Shutdown"/> returns.</summary>
    protected AotPluginHost Host { get; private set; } = null!;

    /// <summary>Called once after loading, on the host's loading thread. Throw to refuse to start.</summary>
    public virtual void Initialize()
    {
    }

    /// <summary>Runs an operation. Throw <see cref="AotPluginException"/> to fail with a specific status.</summary>
    /// <param name="call">The host's per-call context, for call-scoped host interfaces.</param>
    /// <param name="operation">The operation name (UTF-8 decoded).</param>
    /// <param name="input">The input bytes, borrowed for the call.</param>
    /// <param name="output">Where the result goes.</param>
    public abstract void Invoke(AotCall call, string operation, ReadOnlySpan<byte> input, AotPluginOutput output);

    /// <summary>
    /// The table this plugin serves for an interface id (the descriptor's <c>get_interface</c>), or 0. A contract the
    /// host calls the plugin through (e.g. <c>notebook.processor/1</c>) is served with the table <c>plugboard bindgen
    /// --lang csharp-aot</c> emits (<c>NativeNoteProcessorTable.Address</c>): its functions get the descriptor's context,
    /// a handle to this plugin, so the table calls this plugin's implementation of the emitted interface.
    /// </summary>
    /// <param name="id">The interface id the host asks for.</param>
    /// <returns>The table's address, valid for the life of the process; 0 when the plugin serves none for that id.</returns>
    public virtual nint GetInterface(string id) => 0;

    /// <summary>Called once, last, on the host's loading thread.</summary>
    public virtual void Shutdown()
    {
    }

    internal void Attach(AotPluginHost host) => Host = host;
}
