using Notebook.Api.Native;

namespace Plugboard.Native.Tests;

/// <summary>
/// Test classes run in parallel and load the same libraries. One library image may back only one live plugin (its
/// globals are per image), so tests load through copy-on-load: every load gets its own copy and its own globals.
/// </summary>
internal static class TestLoaders
{
    public static NativePluginLoaderOptions Options(IPluginLog? log = null) => new()
    {
        CopyOnLoad = true,
        ShadowCopyDirectory = Path.Combine(TestPaths.ArtifactsRoot, "tests", "shadow"),
        Log = log,
    };

    public static NativePluginLoader Create(IPluginLog? log = null) => new(Options(log));

    /// <summary>
    /// Sets <paramref name="options"/> up the way a Notebook host does with the generated bindings: the host tables of
    /// the exported classes offered (with their layouts) and the layout of notebook.processor/2 declared.
    /// </summary>
    public static NativePluginLoaderOptions Notebook(NativePluginLoaderOptions options) => NoteProcessorProxy.Expect(NotebookApiHostTables.Offer(options));

    /// <summary>Sample plugins load the way a host loads them (no copy); their tests share one collection, so never twice at once.</summary>
    public static NativePlugin LoadSample(string folder, IPluginLog? log = null) => new NativePluginLoader(Notebook(new NativePluginLoaderOptions { Log = log })).Load(folder);
}

/// <summary>Tests that load the NativeAOT sample share one collection so at most one runtime copy loads at a time.</summary>
[CollectionDefinition(Name)]
public sealed class SamplePluginsCollection
{
    public const string Name = "sample plugins";
}
