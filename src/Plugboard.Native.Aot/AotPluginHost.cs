using System.Text;
using Plugboard.Native.Internal;

namespace Plugboard.Native.Aot;

/// <summary>The host table seen from C#: log, error reporting and versioned interface lookup. Callable from any thread.</summary>
public sealed unsafe class AotPluginHost
{
    private readonly AbiHostTable* _table;

    internal AotPluginHost(AbiHostTable* table)
    {
        _table = table;
    }

    /// <summary>Writes a log line (levels match Plugboard.PluginLogLevel: 0 trace … 5 critical).</summary>
    /// <param name="level">The level.</param>
    /// <param name="message">The text.</param>
    public void Log(int level, string message)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(message);
        fixed (byte* p = bytes)
        {
            _ = _table->Log(_table->HostContext, level, p, (nuint)bytes.Length);
        }
    }

    /// <summary>Finds a host interface by versioned id; zero when absent. Cast the result to the interface's struct.</summary>
    /// <param name="id">For example <c>notebook.notes/1</c>.</param>
    /// <returns>The host-owned table address, valid until shutdown returns.</returns>
    public nint GetInterface(string id)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(id);
        fixed (byte* p = bytes)
        {
            return _table->GetInterface(_table->HostContext, p, (nuint)bytes.Length);
        }
    }

    /// <summary>
    /// Tells the host why the call running on this thread fails, before the plugin returns its error status: the host's
    /// error (PB0409) carries the message. The SDK calls it for an exception from <see cref="AotPlugin.Invoke"/>; the
    /// tables <c>plugboard bindgen --lang csharp-aot</c> emits call it through their <c>ServedCallErrors.SetError</c>
    /// (set it to this method in <see cref="AotPlugin.Initialize"/>).
    /// </summary>
    /// <param name="status">The negative status the plugin returns.</param>
    /// <param name="message">The text.</param>
    public void SetError(int status, string message)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(message);
        fixed (byte* p = bytes)
        {
            _ = _table->SetError(_table->HostContext, status, p, (nuint)bytes.Length);
        }
    }
}
