using System.Runtime.InteropServices;
using System.Text;
using Plugboard.Native.Aot;

namespace AotSummary;

/// <summary>
/// aot-summary: tags every note "aot-seen", stores its length as metric "chars", and when the body mentions
/// "todo" adds a follow-up note to the store through the host API.
/// </summary>
internal sealed unsafe class SummaryPlugin : AotPlugin
{
    private NotebookNotes* _notes;

    public override string Id => "aot-summary";

    public override string Name => "Summary (NativeAOT C#)";

    public override string Version => "1.0.0";

    public override void Initialize()
    {
        _notes = (NotebookNotes*)Host.GetInterface(NotebookNotes.Id);
        if (_notes == null)
        {
            throw new AotPluginException(AotStatus.Unsupported, "the host does not offer notebook.notes/1");
        }
        Host.Log(2, "aot-summary ready");
    }

    public override void Invoke(AotCall call, string operation, ReadOnlySpan<byte> input, AotPluginOutput output)
    {
        if (operation == "ping")
        {
            // Health check: no host calls, used to measure the bare call cost.
            output.Write("pong"u8);
            return;
        }
        if (operation != "process")
        {
            throw new AotPluginException(AotStatus.Unsupported, $"unknown operation '{operation}'");
        }
        string title = ReadText(call, _notes->GetTitle);
        string body = ReadText(call, _notes->GetBody);
        Check(WithUtf8("aot-seen", (p, n) => _notes->AddTag(call.Context, (byte*)p, n)), "add_tag");
        Check(WithUtf8("chars", (p, n) => _notes->SetMetric(call.Context, (byte*)p, n, body.Length)), "set_metric");
        string report = $"aot-summary: '{title}' has {body.Length} chars";
        if (body.Contains("todo", StringComparison.OrdinalIgnoreCase))
        {
            int id = 0;
            byte[] newTitle = Encoding.UTF8.GetBytes("Follow up: " + title);
            byte[] newBody = Encoding.UTF8.GetBytes("Created by aot-summary because the note mentions a todo.");
            fixed (byte* t = newTitle)
            fixed (byte* b = newBody)
            {
                Check(_notes->AddNote(call.Context, t, (nuint)newTitle.Length, b, (nuint)newBody.Length, &id), "add_note");
            }
            report += $", follow-up note #{id} added";
        }
        output.Write(report);
    }

    private static string ReadText(AotCall call, delegate* unmanaged[Cdecl]<nint, nint, delegate* unmanaged[Cdecl]<nint, byte*, nuint, int>, int> read)
    {
        using var sink = new AotTextSink();
        Check(read(call.Context, sink.Context, AotTextSink.Write), "reading the note");
        return sink.ToString();
    }

    private static int WithUtf8(string text, Func<nint, nuint, int> call)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        fixed (byte* p = bytes)
        {
            return call((nint)p, (nuint)bytes.Length);
        }
    }

    private static void Check(int status, string what)
    {
        if (status < 0)
        {
            throw new AotPluginException(status, $"{what} failed with status {status}");
        }
    }

    /// <summary>The export NativeAOT needs: a non-generic static method in this assembly.</summary>
    /// <param name="host">The host table.</param>
    /// <returns>The descriptor.</returns>
    [UnmanagedCallersOnly(EntryPoint = "plugboard_entry_v1")]
    public static nint Entry(nint host) => AotPluginEntry.Run<SummaryPlugin>(host);
}
