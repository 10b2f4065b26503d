// A Notebook plugin in C#, published with NativeAOT, written against the file `plugboard bindgen --lang csharp-aot`
// emits from Notebook.Api at test time (no hand-written mirror of any table): it implements the emitted INoteProcessor
// (notebook.processor/2) and reaches the host's note and store through their clients. Published and loaded by
// GeneratedBindingsPluginTests.
using System.Runtime.InteropServices;
using Notebook.Api.Native;
using Plugboard.Native.Aot;

namespace AotGenerated;

internal sealed class GeneratedPlugin : AotPlugin, INoteProcessor
{
    public override string Id => "aot-generated";

    public override string Name => "Generated bindings (NativeAOT C#)";

    public override string Version => "1.0.0";

    public override void Initialize()
    {
        ServedCallErrors.SetError = Host.SetError;
    }

    // The emitted table calls this plugin's Process: its functions get the descriptor's context, a handle to the plugin.
    public override nint GetInterface(string id) => id == NotebookProcessorV2.Id ? NoteProcessorTable.Address : 0;

    public override void Invoke(AotCall call, string operation, ReadOnlySpan<byte> input, AotPluginOutput output) =>
        throw new AotPluginException(AotStatus.Unsupported, $"unknown operation '{operation}'");

    public string GetName() => Name;

    public string Process(NoteClient note, NotebookStoreClient store)
    {
        string title = note.GetTitle();
        int words = note.CountWords();
        note.SetMetric("generated_words", words);
        note.AddTag("aot generated");
        int added = store.AddNote("Seen: " + title, "by the generated NativeAOT bindings", Name);
        return $"aot-generated: note #{note.GetId()} '{title}' has {words} words; added note #{added}";
    }

    /// <summary>The export NativeAOT needs: a non-generic static method in this assembly.</summary>
    [UnmanagedCallersOnly(EntryPoint = "plugboard_entry_v1")]
    public static nint Entry(nint host) => AotPluginEntry.Run<GeneratedPlugin>(host);
}
