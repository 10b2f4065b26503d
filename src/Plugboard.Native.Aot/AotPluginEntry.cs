using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Plugboard.Native.Internal;

namespace Plugboard.Native.Aot;

/// <summary>
/// Implements <c>plugboard_entry_v1</c> and the descriptor's functions for an <see cref="AotPlugin"/>. NativeAOT exports
/// only non-generic static methods of the published assembly, so the plugin assembly adds one line:
/// <code>
/// [UnmanagedCallersOnly(EntryPoint = "plugboard_entry_v1")]
/// public static nint Entry(nint host) => AotPluginEntry.Run&lt;MyPlugin&gt;(host);
/// </code>
/// </summary>
public static unsafe class AotPluginEntry
{
    private static readonly Lock Gate = new();
    private static AbiPluginDescriptor* s_descriptor;
    private static AotPlugin? s_plugin;
    private static AotPluginHost? s_host;
    private static bool s_threadSafe;

    // How many invokes of this plugin run on this thread (a host callback can lead a host back into the plugin).
    [ThreadStatic]
    private static int t_running;

    /// <summary>The body of <c>plugboard_entry_v1</c>: creates the plugin once and returns its descriptor, or 0 after reporting why.</summary>
    /// <typeparam name="TPlugin">The plugin class.</typeparam>
    /// <param name="host">The host table pointer.</param>
    /// <returns>The descriptor's address, valid for the life of the process.</returns>
    public static nint Run<TPlugin>(nint host)
        where TPlugin : AotPlugin, new()
    {
        try
        {
            lock (Gate)
            {
                if (s_descriptor != null)
                {
                    return (nint)s_descriptor;
                }
                var plugin = new TPlugin();
                var descriptor = (AbiPluginDescriptor*)NativeMemory.AllocZeroed((nuint)sizeof(AbiPluginDescriptor));
                descriptor->Magic = AbiConstants.PluginMagic;
                descriptor->StructSize = (uint)sizeof(AbiPluginDescriptor);
                descriptor->AbiMajor = AbiConstants.AbiMajor;
                descriptor->AbiMinor = AbiConstants.AbiMinor;
                descriptor->Id = Utf8Static(plugin.Id, out descriptor->IdLength);
                descriptor->Name = Utf8Static(plugin.Name, out descriptor->NameLength);
                descriptor->Version = Utf8Static(plugin.Version, out descriptor->VersionLength);
                // Never PB_FLAG_UNLOADABLE: a NativeAOT library cannot be unloaded.
                descriptor->Flags = plugin.IsThreadSafe ? 1UL : 0UL;
                // The context every descriptor and contract function gets: a handle to the plugin, kept for the process, so
                // a contract table emitted by bindgen (csharp-aot) finds the plugin as the implementation it serves.
                descriptor->PluginContext = GCHandle.ToIntPtr(GCHandle.Alloc(plugin));
                descriptor->Init = &Init;
                descriptor->Shutdown = &Shutdown;
                descriptor->GetInterface = &GetInterface;
                descriptor->Invoke = &Invoke;
                s_plugin = plugin;
                s_threadSafe = plugin.IsThreadSafe;
                s_descriptor = descriptor;
                return (nint)descriptor;
            }
        }
        catch (Exception e)
        {
            Report((AbiHostTable*)host, AotStatus.Panic, $"{typeof(TPlugin).Name} could not be created: {e.GetType().Name}: {e.Message}");
            return 0;
        }
    }

    // Lives as long as the descriptor: the process (the library is never unloaded).
    private static byte* Utf8Static(string text, out nuint length)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        var memory = (byte*)NativeMemory.Alloc((nuint)Math.Max(bytes.Length, 1));
        bytes.CopyTo(new Span<byte>(memory, bytes.Length));
        length = (nuint)bytes.Length;
        return memory;
    }

    private static void Report(AbiHostTable* host, int status, string message)
    {
        try
        {
            if (host != null)
            {
                new AotPluginHost(host).SetError(status, message);
            }
        }
        catch (Exception)
        {
            // Nothing left to report to.
        }
    }

    private static int Fail(Exception e, string where)
    {
        if (e is AotPluginException known)
        {
            ReportToHost(known.Status, known.Message);
            return known.Status;
        }
        ReportToHost(AotStatus.Panic, $"unhandled {e.GetType().FullName} in {where}: {e.Message}");
        return AotStatus.Panic;
    }

    private static void ReportToHost(int status, string message)
    {
        try
        {
            s_host?.SetError(status, message);
        }
        catch (Exception)
        {
            // Nothing left to report to.
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Init(nint context, AbiHostTable* host)
    {
        try
        {
            if (host == null || s_plugin is null)
            {
                return AotStatus.InvalidArgument;
            }
            s_host = new AotPluginHost(host);
            s_plugin.Attach(s_host);
            s_plugin.Initialize();
            return AotStatus.Ok;
        }
        catch (Exception e)
        {
            if (s_host is null)
            {
                Report(host, AotStatus.Panic, e.Message);
                return AotStatus.Panic;
            }
            return Fail(e, "Initialize");
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void Shutdown(nint context)
    {
        try
        {
            s_plugin?.Shutdown();
        }
        catch (Exception e)
        {
            _ = Fail(e, "Shutdown");
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static nint GetInterface(nint context, byte* id, nuint idLength)
    {
        try
        {
            // Not an error path: an id the plugin does not know (or cannot read) is answered with NULL.
            if (s_plugin is null || id == null || idLength > int.MaxValue)
            {
                return 0;
            }
            var bytes = new ReadOnlySpan<byte>(id, (int)idLength);
            return System.Text.Unicode.Utf8.IsValid(bytes) ? s_plugin.GetInterface(Encoding.UTF8.GetString(bytes)) : 0;
        }
        catch (Exception e)
        {
            _ = Fail(e, "GetInterface");
            return 0;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Invoke(nint context, nint call, byte* op, nuint opLength, byte* input, nuint inputLength,
        nint outContext, delegate* unmanaged[Cdecl]<nint, byte*, nuint, int> outWrite)
    {
        try
        {
            if (s_plugin is null)
            {
                throw new AotPluginException(AotStatus.Failed, "invoke before init.");
            }
            if ((op == null && opLength != 0) || (input == null && inputLength != 0))
            {
                throw new AotPluginException(AotStatus.InvalidArgument, "NULL pointer with a non-zero length.");
            }
            var opBytes = new ReadOnlySpan<byte>(op, checked((int)opLength));
            if (!System.Text.Unicode.Utf8.IsValid(opBytes))
            {
                throw new AotPluginException(AotStatus.InvalidUtf8, "The operation name is not UTF-8.");
            }
            string operation = Encoding.UTF8.GetString(opBytes);
            if (t_running > 0 && !s_threadSafe)
            {
                // The rule of plugboard.h, kept by the SDK too (not only by the Plugboard host): a plugin that does not
                // declare PB_FLAG_THREAD_SAFE is never re-entered; the inner call fails, the outer one goes on.
                throw new AotPluginException(AotStatus.Reentered,
                    $"{s_plugin.Id} is not thread-safe and its invoke is already running on this thread: invoke('{operation}') would re-enter it (through a host callback), so it refuses.");
            }
            t_running++;
            try
            {
                s_plugin.Invoke(new AotCall(call), operation, new ReadOnlySpan<byte>(input, checked((int)inputLength)), new AotPluginOutput(outContext, outWrite));
            }
            finally
            {
                t_running--;
            }
            return AotStatus.Ok;
        }
        catch (Exception e)
        {
            return Fail(e, "Invoke");
        }
    }
}
