namespace Plugboard;

/// <summary>The outcome of loading a set of plugins: one bad plugin never stops the others.</summary>
/// <typeparam name="TContract">The host's contract type.</typeparam>
public sealed class PluginLoadResult<TContract> where TContract : class
{
    internal PluginLoadResult(IReadOnlyList<LoadedPlugin<TContract>> loaded, IReadOnlyList<PluginFailure> failed, IReadOnlyList<PluginCatalogEntry> skipped)
    {
        Loaded = loaded;
        Failed = failed;
        Skipped = skipped;
    }

    /// <summary>Plugins loaded, initialized and started.</summary>
    public IReadOnlyList<LoadedPlugin<TContract>> Loaded { get; }

    /// <summary>Plugins that did not load, with why.</summary>
    public IReadOnlyList<PluginFailure> Failed { get; }

    /// <summary>
    /// Entries that are not of this contract: native plugins when no adapter to the contract is registered
    /// (<see cref="PluginHostOptions.AddNativeAdapter{T}(Func{Native.NativePlugin, T})"/>), managed plugins in a host of <see cref="Native.NativePlugin"/>.
    /// </summary>
    public IReadOnlyList<PluginCatalogEntry> Skipped { get; }

    /// <summary>Every entry instance of every loaded plugin.</summary>
    public IEnumerable<TContract> Instances => Loaded.SelectMany(p => p.Instances);
}
