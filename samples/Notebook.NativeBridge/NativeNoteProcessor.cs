using Notebook.Api;
using Notebook.Api.Native;
using Plugboard;
using Plugboard.Native;

namespace Notebook.NativeBridge;

/// <summary>
/// A native plugin seen as an <see cref="INoteProcessor"/>, so a host treats managed and native plugins alike: the
/// adapter a <c>PluginHost&lt;INoteProcessor&gt;</c> registers (<c>options.AddNativeAdapter&lt;INoteProcessor&gt;(p =&gt; new NativeNoteProcessor(p))</c>).
/// <see cref="Process"/> invokes the plugin's <c>process</c> operation; during that call the plugin reaches the note and
/// store through the <c>notebook.notes/1</c> host interface. Dispose shuts the plugin down.
/// </summary>
public sealed class NativeNoteProcessor : Notebook.Api.INoteProcessor, IDisposable
{
    /// <summary>The operation every Notebook native plugin implements.</summary>
    public const string ProcessOperation = "process";

    /// <summary>The id of the host interface native Notebook plugins use (<c>notebook_notes_v1</c> in <c>Generated/notebook_api.h</c>).</summary>
    public const string NotesInterfaceId = NotebookNotesV1.Id;

    /// <summary>Wraps a loaded native plugin. The plugin must have been loaded by a loader whose interfaces include <see cref="NotesInterfaceId"/> (see <see cref="CreateLoader"/>).</summary>
    /// <param name="plugin">The plugin; owned by this processor from now on.</param>
    public NativeNoteProcessor(NativePlugin plugin)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        Plugin = plugin;
        // A plugin that implements the contract (notebook.processor/1) is called through the generated proxy; older
        // plugins through their "process" operation.
        Contract = plugin.GetInterface(NativeNoteProcessorProxy.Id) != 0 ? NativeNoteProcessorProxy.Create(plugin) : null;
    }

    /// <summary>The underlying native plugin.</summary>
    public NativePlugin Plugin { get; }

    /// <summary>
    /// The plugin's <c>notebook.processor/1</c> table as the host API's <see cref="Notebook.Api.INativeNoteProcessor"/> (the proxy
    /// <c>plugboard bindgen --lang csharp-host</c> generates, <c>Generated/NotebookApi.Proxies.cs</c>), or null when the
    /// plugin serves only the <c>process</c> operation.
    /// </summary>
    public Notebook.Api.INativeNoteProcessor? Contract { get; }

    /// <inheritdoc />
    public string Name => Plugin.Name;

    /// <summary>A loader set up for Notebook plugins: it offers <c>notebook.notes/1</c>.</summary>
    /// <param name="options">Options to extend (copy-on-load, log); null for defaults.</param>
    /// <returns>The loader.</returns>
    public static NativePluginLoader CreateLoader(NativePluginLoaderOptions? options = null) =>
        new(OfferNotesInterface(options ?? new NativePluginLoaderOptions()));

    /// <summary>
    /// Offers <c>notebook.notes/1</c> to the native plugins loaded with <paramref name="options"/>, e.g. a
    /// <c>PluginHost</c>'s <c>PluginHostOptions.NativePlugins</c> (with this class as the host's adapter to <see cref="INoteProcessor"/>).
    /// </summary>
    /// <param name="options">The loader options to extend.</param>
    /// <returns><paramref name="options"/>.</returns>
    public static NativePluginLoaderOptions OfferNotesInterface(NativePluginLoaderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        // The generated table's functions get the plugin's call_ctx: the state of the call it names implements the interface.
        NotebookNotesTable.ResolveContext = NoteCallState.From;
        // With its layout: a plugin whose plugin.json records other member hashes (native.interfaces) is refused before its library opens (PB0418).
        options.Interfaces.Register(NotebookNotesTable.Address, new NativeInterfaceLayout(NotebookNotesV1.Id, NotebookNotesV1.MemberNames, NotebookNotesV1.MemberHashes));
        // And the contract plugins implement: a plugin recording another notebook.processor/1 layout is refused too.
        NativeNoteProcessorProxy.Expect(options);
        return options;
    }

    /// <summary>Loads one native plugin folder as a note processor.</summary>
    /// <param name="pluginDirectory">The folder with plugin.json and the library.</param>
    /// <param name="options">Loader options; null for defaults.</param>
    /// <returns>The processor.</returns>
    /// <exception cref="PluginException">The plugin cannot be loaded (PB04xx).</exception>
    public static NativeNoteProcessor Load(string pluginDirectory, NativePluginLoaderOptions? options = null) =>
        new(CreateLoader(options).Load(pluginDirectory));

    /// <summary>
    /// Loads every native plugin folder under a root (e.g. <c>artifacts/samples/plugins</c>). Folders whose manifest is
    /// not kind <c>native</c> are left for the managed loader; failures are collected, and the rest still load.
    /// </summary>
    /// <param name="pluginsRoot">A folder of plugin folders.</param>
    /// <param name="failures">The native plugins that failed, each with its typed error.</param>
    /// <param name="options">Loader options; null for defaults.</param>
    /// <returns>The loaded processors, in folder-name order.</returns>
    public static IReadOnlyList<NativeNoteProcessor> LoadAll(string pluginsRoot, out IReadOnlyList<PluginException> failures, NativePluginLoaderOptions? options = null)
    {
        if (!Directory.Exists(pluginsRoot))
        {
            failures = [];
            return [];
        }
        IReadOnlyList<NativePlugin> plugins = CreateLoader(options).LoadAll(pluginsRoot, out failures);
        return [.. plugins.Select(plugin => new NativeNoteProcessor(plugin))];
    }

    /// <summary>
    /// Loads the given native plugin folders without a <c>PluginHost</c> (a NativeAOT host has none). Two folders with
    /// one id are both refused (PB0105). Failures are collected; the rest load.
    /// </summary>
    /// <param name="pluginDirectories">Folders, each with a native plugin.json and its library.</param>
    /// <param name="failures">The plugins that failed, each with its typed error.</param>
    /// <param name="options">Loader options; null for defaults.</param>
    /// <returns>The loaded processors, in the order given.</returns>
    public static IReadOnlyList<NativeNoteProcessor> LoadAll(IEnumerable<string> pluginDirectories, out IReadOnlyList<PluginException> failures, NativePluginLoaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(pluginDirectories);
        // The loader's LoadAll applies the catalog's duplicate-id rule (PB0105) to the folders given, too.
        IReadOnlyList<NativePlugin> plugins = CreateLoader(options).LoadAll(pluginDirectories, out failures);
        return [.. plugins.Select(plugin => new NativeNoteProcessor(plugin))];
    }

    /// <summary>Runs the plugin on one note. The plugin may tag the note, set metrics and add notes to the store.</summary>
    /// <param name="note">The note.</param>
    /// <param name="store">The notebook.</param>
    /// <returns>The plugin's one-line report.</returns>
    /// <exception cref="PluginException">The plugin failed (PB0409) or wrote invalid UTF-8 (PB0410).</exception>
    public string Process(Note note, NotebookStore store)
    {
        ArgumentNullException.ThrowIfNull(note);
        NoteCallState state = NoteCallState.ForCurrentThread();
        // Saved and restored so a nested Process on this thread (a NoteAdded handler) does not clobber the outer call.
        (Note? previousNote, NotebookStore? previousStore, string previousName) = (state.Note, state.Store, state.PluginName);
        state.Note = note;
        state.Store = store;
        state.PluginName = Plugin.Name;
        try
        {
            if (Contract is not null)
            {
                // The shared data by value; the rest through the notes handle (this thread's call state).
                var info = new Notebook.Api.NoteInfo { StructSize = (uint)System.Runtime.CompilerServices.Unsafe.SizeOf<Notebook.Api.NoteInfo>(), Id = note.Id, TagCount = note.Tags.Count, MetricCount = note.Metrics.Count };
                return Contract.Process(info, state);
            }
            return Plugin.Invoke(ProcessOperation, string.Empty, state.Handle);
        }
        finally
        {
            (state.Note, state.Store, state.PluginName) = (previousNote, previousStore, previousName);
        }
    }

    /// <summary>Shuts the plugin down.</summary>
    public void Dispose() => Plugin.Dispose();

    /// <inheritdoc />
    public override string ToString() => Plugin.ToString();
}
