using System.Runtime.InteropServices;
using Plugboard.Native.Aot;

namespace HelloAot;

/// <summary>
/// HelloAot: a native Plugboard plugin in C# (NativeAOT). Operations: "echo" returns its input, "ping" returns "pong";
/// add yours in <see cref="Invoke"/>. An exception reaches the host as an error status with its message. To implement a
/// host's contract, implement the interface of the host API's NativeAOT client and return its table from
/// <see cref="AotPlugin.GetInterface"/>.
/// </summary>
internal sealed class Plugin : AotPlugin
{
    public override string Id => "HelloAot";

    public override string Name => "HelloAot";

    public override string Version => "1.0.0";

    public override void Invoke(AotCall call, string operation, ReadOnlySpan<byte> input, AotPluginOutput output)
    {
        switch (operation)
        {
            case "echo":
                output.Write(input);
                break;
            case "ping":
                output.Write("pong"u8);
                break;
            default:
                throw new AotPluginException(AotStatus.Unsupported, $"unknown operation '{operation}'");
        }
    }

    /// <summary>The export NativeAOT needs: a non-generic static method in this assembly.</summary>
    /// <param name="host">The host table.</param>
    /// <returns>The descriptor.</returns>
    [UnmanagedCallersOnly(EntryPoint = "plugboard_entry_v1")]
    public static nint Entry(nint host) => AotPluginEntry.Run<Plugin>(host);
}
