using System.Collections.Concurrent;

namespace Plugboard.Native.Internal;

/// <summary>
/// What the host callbacks of one loaded plugin need, reached from <c>host_ctx</c>. <c>host_ctx</c> is a number
/// looked up here, not a GCHandle: after the plugin is disposed its number is gone, so a plugin (or a thread it left
/// running) that keeps calling the host table gets an error status instead of dereferencing a freed handle.
/// </summary>
internal sealed class HostContext
{
    private static readonly ConcurrentDictionary<nint, HostContext> Live = new();
    private static long s_next;

    private HostContext(string pluginId, IPluginLog? log, NativeHostInterfaces interfaces)
    {
        PluginId = pluginId;
        Log = log;
        Interfaces = interfaces;
        Key = (nint)Interlocked.Increment(ref s_next);
    }

    public string PluginId { get; }

    public IPluginLog? Log { get; }

    public NativeHostInterfaces Interfaces { get; }

    /// <summary>The value passed as <c>host_ctx</c>.</summary>
    public nint Key { get; }

    public static HostContext Register(string pluginId, IPluginLog? log, NativeHostInterfaces interfaces)
    {
        var context = new HostContext(pluginId, log, interfaces);
        Live[context.Key] = context;
        return context;
    }

    public static HostContext? From(nint key) => key != 0 && Live.TryGetValue(key, out HostContext? context) ? context : null;

    /// <summary>Ends the context: host functions called with its key from now on fail.</summary>
    public void Retire() => Live.TryRemove(Key, out _);
}
