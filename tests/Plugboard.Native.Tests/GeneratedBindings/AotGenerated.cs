// A Notebook plugin in C#, published with NativeAOT, written against the file `plugboard bindgen --lang csharp-aot`
// emits from Notebook.Api (no hand-written mirror of notebook.notes/1). Published and loaded by GeneratedBindingsPluginTests.
using System.Runtime.InteropServices;
using Notebook.Api.Native;
using Plugboard.Native.Aot;

namespace AotGenerated;

internal sealed class GeneratedPlugin : AotPlugin
{
    private nint _notes;

    public override string Id => "aot-generated";

    public override string Name => "Generated bindings (NativeAOT C#)";

    public override string Version => "1.0.0";

    public override void Initialize()
    {
        _notes = Host.GetInterface(NotebookNotesV1.Id);
        if (_notes == 0)
        {
            throw new AotPluginException(AotStatus.Unsupported, "the host does not offer notebook.notes/1");
        }
    }

    public override void Invoke(AotCall call, string operation, ReadOnlySpan<byte> input, AotPluginOutput output)
    {
        if (operation != "process")
        {
            throw new AotPluginException(AotStatus.Unsupported, $"unknown operation '{operation}'");
        }
        // Each function acts on this invoke's note: its context is the call token.
        NotebookNotesClient notes = NotebookNotesClient.FromRaw(_notes, call.Context) ?? throw new AotPluginException(AotStatus.Failed, "the notes table is truncated");
        string title = notes.GetTitle();
        long words = notes.CountWords(notes.GetBody());
        notes.SetMetric("generated_words", words);
        notes.AddTag("aot generated");
        int added = notes.AddNote("Seen: " + title, "by the generated NativeAOT bindings");
        output.Write($"aot-generated: note #{notes.GetNoteId()} '{title}' has {words} words; added note #{added}");
    }

    /// <summary>The export NativeAOT needs: a non-generic static method in this assembly.</summary>
    [UnmanagedCallersOnly(EntryPoint = "plugboard_entry_v1")]
    public static nint Entry(nint host) => AotPluginEntry.Run<GeneratedPlugin>(host);
}
