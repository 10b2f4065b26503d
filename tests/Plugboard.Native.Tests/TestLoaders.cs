using Notebook.NativeBridge;

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

    /// <summary>Sample plugins load the way a host loads them (no copy); their tests share one collection, so never twice at once.</summary>
    public static NativeNoteProcessor LoadProcessor(string folder, IPluginLog? log = null) => NativeNoteProcessor.Load(folder, new NativePluginLoaderOptions { Log = log });
}

/// <summary>Tests that load the NativeAOT sample share one collection so at most one runtime copy loads at a time.</summary>
[CollectionDefinition(Name)]
public sealed class SamplePluginsCollection
{
    public const string Name = "sample plugins";
}
