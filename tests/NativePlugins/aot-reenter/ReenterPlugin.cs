using System.Runtime.InteropServices;
using System.Text;
using Plugboard.Native.Aot;

namespace AotReenter;

/// <summary>aot-reenter: "echo" writes its input back; "log" logs its input through the host, then writes "logged".</summary>
internal sealed class ReenterPlugin : AotPlugin
{
    public override string Id => "aot-reenter";

    public override string Name => "aot-reenter";

    public override string Version => "1.0.0";

    public override void Invoke(AotCall call, string operation, ReadOnlySpan<byte> input, AotPluginOutput output)
    {
        switch (operation)
        {
            case "echo":
                output.Write(input);
                break;
            case "log":
                Host.Log(2, Encoding.UTF8.GetString(input));
                output.Write("logged");
                break;
            default:
                throw new AotPluginException(AotStatus.Unsupported, $"unknown operation '{operation}'");
        }
    }
}

/// <summary>The exported entry function.</summary>
public static class Exports
{
    /// <summary><c>plugboard_entry_v1</c>.</summary>
    [UnmanagedCallersOnly(EntryPoint = "plugboard_entry_v1")]
    public static nint Entry(nint host) => AotPluginEntry.Run<ReenterPlugin>(host);
}
