namespace Plugboard.Lifetime;

/// <summary>
/// What lifetime sees of a loaded plugin: its identity and its state machine (loading → active ⇄ reloading →
/// retiring → unloaded; faulted while active). The host's public handle implements it, so reload, cascade and unload
/// work on plugins without knowing the façade.
/// </summary>
/// <typeparam name="TContract">The host's contract type.</typeparam>
internal interface IPluginSlot<TContract> where TContract : class
{
    /// <summary>The plugin id; the same across reloads.</summary>
    string Id { get; }

    /// <summary>The catalog entry of the current (or last) version.</summary>
    PluginCatalogEntry Entry { get; }

    /// <summary>The version calls reach now; null while unloaded or restarting.</summary>
    PluginGeneration<TContract>? Current { get; }

    /// <summary>Makes <paramref name="next"/> the version new calls reach (null: none, while retiring or restarting); returns the previous one.</summary>
    PluginGeneration<TContract>? Swap(PluginGeneration<TContract>? next, bool restarting = false);

    /// <summary>Ends a cascade restart: on <paramref name="next"/> when it loaded, else the plugin is unloaded.</summary>
    void EndRestart(PluginGeneration<TContract>? next);

    /// <summary>Abandons a state-transfer swap: the old version's gate opens again and waiting calls go to it.</summary>
    void RollBack(PluginGeneration<TContract> old);

    /// <summary>Records a state change and wakes every call waiting for one.</summary>
    void MoveTo(PluginState state);
}
