using System.Runtime.InteropServices;
using Notebook.Api.Native;
using Plugboard.Native.Aot;

namespace AotSummary;

/// <summary>
/// aot-summary: tags every note "aot-seen", stores its length as metric "chars", and when the body mentions
/// "todo" adds a follow-up note to the store through the host API.
/// </summary>
/// <remarks>
/// It implements the host's contract INoteProcessor itself, notebook.processor/2, through the file <c>plugboard bindgen
/// --lang csharp-aot</c> emits from Notebook.Api (<c>NotebookApi.Native.cs</c>, the one checked in under
/// samples/Notebook.NativeBridge/Generated): the host calls <see cref="Process(NoteClient, NotebookStoreClient)"/>
/// through the generated proxy with its own Note and NotebookStore, reached here through their clients (handles valid
/// during the call).
/// </remarks>
internal sealed class SummaryPlugin : AotPlugin, Notebook.Api.Native.INoteProcessor
{
    public override string Id => "aot-summary";

    public override string Name => "Summary (NativeAOT C#)";

    public override string Version => "1.0.0";

    public override void Initialize()
    {
        // An exception from Process reaches the host with its message (PB0409), not as a bare status.
        ServedCallErrors.SetError = Host.SetError;
        Host.Log(2, "aot-summary ready");
    }

    // The emitted table calls this plugin's Process: its functions get the descriptor's context, a handle to the plugin.
    public override nint GetInterface(string id) => id switch
    {
        NotebookProcessorV2.Id => NoteProcessorTable.Address,
        _ => 0,
    };

    public override void Invoke(AotCall call, string operation, ReadOnlySpan<byte> input, AotPluginOutput output)
    {
        if (operation == "ping")
        {
            // Health check: no host calls, used to measure the bare call cost.
            output.Write("pong"u8);
            return;
        }
        throw new AotPluginException(AotStatus.Unsupported, $"unknown operation '{operation}': the host calls aot-summary through notebook.processor/2");
    }

    public string GetName() => Name;

    public string Process(NoteClient note, NotebookStoreClient store)
    {
        string title = note.GetTitle();
        string body = note.GetBody();
        note.AddTag("aot-seen");
        note.SetMetric("chars", body.Length);
        string report = $"aot-summary: '{title}' has {body.Length} chars";
        if (body.Contains("todo", StringComparison.OrdinalIgnoreCase))
        {
            int id = store.AddNote("Follow up: " + title, "Created by aot-summary because the note mentions a todo.", Name);
            report += $", follow-up note #{id} added";
        }
        return report;
    }

    /// <summary>The export NativeAOT needs: a non-generic static method in this assembly.</summary>
    /// <param name="host">The host table.</param>
    /// <returns>The descriptor.</returns>
    [UnmanagedCallersOnly(EntryPoint = "plugboard_entry_v1")]
    public static nint Entry(nint host) => AotPluginEntry.Run<SummaryPlugin>(host);
}
