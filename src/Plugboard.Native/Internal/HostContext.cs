using System.Runtime.InteropServices;

namespace Plugboard.Native.Internal;

/// <summary>What the host callbacks of one loaded plugin need; reached from <c>host_ctx</c> through a <see cref="GCHandle"/>.</summary>
internal sealed class HostContext(string pluginId, IPluginLog? log, NativeHostInterfaces interfaces)
{
    public string PluginId { get; } = pluginId;

    public IPluginLog? Log { get; } = log;

    public NativeHostInterfaces Interfaces { get; } = interfaces;

    public static HostContext? From(nint handle)
    {
        if (handle == 0)
        {
            return null;
        }
        return GCHandle.FromIntPtr(handle).Target as HostContext;
    }
}
