using Plugboard.Trust;

namespace Plugboard.Loading;

/// <summary>
/// One kind of plugin (a managed assembly in a collectible load context, a native library over the C ABI, a managed
/// or native plugin in a worker process of its own): how its code is loaded and how entry instances of the host's contract come out of it.
/// Everything else (dependency order, initialize and start hooks, the call gate, reload, unload, events) is the same
/// for every kind and lives once, in the host.
/// </summary>
/// <typeparam name="TContract">The host's contract type.</typeparam>
internal interface IPluginRuntime<TContract> where TContract : class
{
    /// <summary>The kind of plugin this runtime loads.</summary>
    PluginKind Kind { get; }

    /// <summary>Where the plugins this runtime loads run: in the host's process, or each in a worker process.</summary>
    PluginIsolation Isolation { get; }

    /// <summary>
    /// Whether this runtime can give plugins of its kind as <typeparamref name="TContract"/> (a native plugin needs an
    /// adapter to the contract). Entries it cannot serve are "not this contract": <see cref="PluginLoadResult{TContract}.Skipped"/>.
    /// </summary>
    bool ServesContract { get; }

    /// <summary>Loads the plugin's code and creates its entry instances; nothing stays loaded when it throws.</summary>
    /// <param name="entry">A compatible catalog entry of this runtime's kind.</param>
    /// <param name="snapshot">The plugin's files as read once and checked against the trust policy: what a managed plugin loads from.</param>
    /// <param name="pluginContext">The context the instances (and later their hooks) receive.</param>
    /// <returns>The loaded code and the entry instances.</returns>
    /// <exception cref="PluginException">The plugin cannot be loaded.</exception>
    (PluginCode Code, IReadOnlyList<TContract> Instances) Load(PluginCatalogEntry entry, PluginSnapshot snapshot, IPluginContext pluginContext);

    /// <summary>
    /// As <see cref="Load"/>; a runtime that <see cref="LoadsConcurrently"/> returns as soon as the plugin's own code
    /// runs (a native init on its call thread) and completes once it returned. The default loads at once.
    /// </summary>
    /// <exception cref="PluginException">Thrown, or from the task: the plugin cannot be loaded.</exception>
    Task<(PluginCode Code, IReadOnlyList<TContract> Instances)> LoadAsync(PluginCatalogEntry entry, PluginSnapshot snapshot, IPluginContext pluginContext) =>
        Task.FromResult(Load(entry, snapshot, pluginContext));

    /// <summary>
    /// Whether a catalog load may go on with other plugins while one of this kind finishes loading: its
    /// <see cref="LoadAsync"/> waits only for the plugin's own code, and what follows (the adapter, adding it to the
    /// host) is safe beside other loads. False for managed plugins: they load one after another, as they always did.
    /// </summary>
    bool LoadsConcurrently => false;
}
