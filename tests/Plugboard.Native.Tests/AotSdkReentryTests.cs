using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Plugboard.Native.Internal;

namespace Plugboard.Native.Tests;

/// <summary>
/// The NativeAOT C# SDK keeps the re-entrancy rule itself, as the Rust SDK does: a plugin that does not declare
/// PB_FLAG_THREAD_SAFE, called again on the thread where its invoke runs, answers PB_ERR_REENTERED with a message.
/// Plugboard's own host refuses such a call before it reaches the plugin (PB0412), so this test plays a host without
/// that guard: it calls the plugin's ABI by hand and calls invoke again from inside the plugin's log callback.
/// </summary>
[Collection(SamplePluginsCollection.Name)] // one NativeAOT runtime copy at a time
public sealed unsafe class AotSdkReentryTests
{
    private static AbiPluginDescriptor* s_plugin;
    private static int s_innerStatus = int.MinValue;
    private static string? s_error;

    [Fact]
    public void A_NativeAOT_plugin_that_is_not_thread_safe_refuses_reentry_itself_with_PB_ERR_REENTERED()
    {
        string folder = Path.Combine(TestPaths.ArtifactsRoot, "tests", "aot-plugins", "aot-reenter");
        string library = Path.Combine(folder, OperatingSystem.IsWindows() ? "AotReenter.dll" : OperatingSystem.IsMacOS() ? "AotReenter.dylib" : "AotReenter.so");
        Assert.True(File.Exists(library), $"The NativeAOT test plugin was not published to {library}.");
        nint handle = NativeLibrary.Load(library);
        var entry = (delegate* unmanaged[Cdecl]<AbiHostTable*, AbiPluginDescriptor*>)NativeLibrary.GetExport(handle, "plugboard_entry_v1");
        var host = (AbiHostTable*)NativeMemory.AllocZeroed((nuint)sizeof(AbiHostTable)); // never freed: the runtime copy stays
        host->Magic = AbiConstants.HostMagic;
        host->StructSize = (uint)sizeof(AbiHostTable);
        host->AbiMajor = AbiConstants.AbiMajor;
        host->AbiMinor = AbiConstants.AbiMinor;
        host->Log = &ReenteringLog;
        host->SetError = &RecordError;
        host->GetInterface = &NoInterface;
        s_plugin = entry(host);
        Assert.True(s_plugin != null);
        Assert.Equal(0UL, s_plugin->Flags & 1); // not PB_FLAG_THREAD_SAFE
        Assert.Equal(0, s_plugin->Init(s_plugin->PluginContext, host));

        (int outer, string outerOutput) = Invoke("log", "call me again");

        Assert.Equal(0, outer);
        Assert.Equal("logged", outerOutput);
        Assert.Equal(NativeStatus.Reentered, s_innerStatus);
        Assert.Contains("aot-reenter is not thread-safe and its invoke is already running on this thread: invoke('echo') would re-enter it", s_error, StringComparison.Ordinal);
        Assert.Equal((0, "after"), Invoke("echo", "after")); // a call after the outer one returned is no re-entry
    }

    private static (int Status, string Output) Invoke(string operation, string input)
    {
        byte[] op = Encoding.UTF8.GetBytes(operation);
        byte[] data = Encoding.UTF8.GetBytes(input);
        var output = new List<byte>();
        GCHandle sink = GCHandle.Alloc(output);
        try
        {
            fixed (byte* o = op)
            fixed (byte* d = data)
            {
                int status = s_plugin->Invoke(s_plugin->PluginContext, 0, o, (nuint)op.Length, d, (nuint)data.Length, GCHandle.ToIntPtr(sink), &Write);
                return (status, Encoding.UTF8.GetString([.. output]));
            }
        }
        finally
        {
            sink.Free();
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Write(nint context, byte* data, nuint length)
    {
        ((List<byte>)GCHandle.FromIntPtr(context).Target!).AddRange(new ReadOnlySpan<byte>(data, (int)length));
        return 0;
    }

    /// <summary>The plugin's log line leads this host straight back into the plugin, on the same thread.</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int ReenteringLog(nint hostContext, int level, byte* message, nuint length)
    {
        s_innerStatus = Invoke("echo", "inner").Status;
        return 0;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int RecordError(nint hostContext, int code, byte* message, nuint length)
    {
        s_error = Encoding.UTF8.GetString(message, (int)length);
        return 0;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static nint NoInterface(nint hostContext, byte* id, nuint length) => 0;
}
