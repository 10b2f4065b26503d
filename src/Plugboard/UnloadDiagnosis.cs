namespace Plugboard;

/// <summary>
/// A deep diagnosis of an unload that did not collect the plugin: finds every GC root that keeps the plugin's context
/// alive. Expensive (it inspects the whole heap), so it runs only when set on
/// <see cref="PluginHostOptions.UnloadDiagnosis"/> and only for a plugin that was not collected.
/// Plugboard.Diagnostics provides one (<c>HeapRootDiagnosis</c>, with ClrMD).
/// </summary>
public abstract class UnloadDiagnosis
{
    /// <summary>Finds the roots that keep <paramref name="context"/>'s target (the plugin's unloaded <c>AssemblyLoadContext</c>) alive.</summary>
    /// <param name="pluginId">The plugin, for messages.</param>
    /// <param name="context">A weak reference to the plugin's load context; an implementation must not keep it alive on its own stack while it looks.</param>
    /// <returns>The roots found, the most telling first; empty when the context was collected meanwhile.</returns>
    public abstract IReadOnlyList<LeakRoot> FindRoots(string pluginId, WeakReference context);
}
