namespace Plugboard;

/// <summary>
/// What happened when a plugin was unloaded. <see cref="Collected"/> is proof, not hope: Plugboard holds a weak
/// reference to the plugin's load context and reports whether the garbage collector actually reclaimed it.
/// </summary>
public sealed class UnloadReport
{
    internal UnloadReport(string pluginId, bool collected, int collections, TimeSpan elapsed, IReadOnlyList<PluginException> stopErrors, IReadOnlyList<string> suspects,
        IReadOnlyList<LeakRoot>? roots = null, string? diagnosis = null)
    {
        Roots = roots ?? [];
        Diagnosis = diagnosis;
        PluginId = pluginId;
        Collected = collected;
        Collections = collections;
        Elapsed = elapsed;
        StopErrors = stopErrors;
        Suspects = suspects;
    }

    /// <summary>The plugin unloaded.</summary>
    public string PluginId { get; }

    /// <summary>True when the plugin's load context was garbage collected: its assemblies and types are gone.</summary>
    public bool Collected { get; }

    /// <summary>How many full collections it took (or were tried, when not collected).</summary>
    public int Collections { get; }

    /// <summary>Time from the start of the unload to the verdict, stop hooks included.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>Errors from the plugin's stop hooks; unloading went on regardless.</summary>
    public IReadOnlyList<PluginException> StopErrors { get; }

    /// <summary>When not collected: what Plugboard can tell still holds the plugin (entry instances still referenced, and so on).</summary>
    public IReadOnlyList<string> Suspects { get; }

    /// <summary>
    /// When not collected and a deep diagnosis ran (<see cref="PluginHostOptions.UnloadDiagnosis"/>): each GC root that
    /// keeps the plugin alive, with its kind and the chain of types to the plugin. Empty otherwise.
    /// </summary>
    public IReadOnlyList<LeakRoot> Roots { get; }

    /// <summary>
    /// When not collected: how the deep diagnosis went — how to turn it on when it is off, or why it could not run.
    /// Null when it ran (see <see cref="Roots"/>) or when the plugin was collected.
    /// </summary>
    public string? Diagnosis { get; }

    /// <inheritdoc />
    public override string ToString() => Collected
        ? $"{PluginId}: collected after {Collections} GC(s) in {Elapsed.TotalMilliseconds:F0} ms"
        : $"{PluginId}: NOT collected after {Collections} GC(s); {(Suspects.Count == 0 ? "cause unknown (a reference held outside Plugboard)" : string.Join("; ", Suspects))}"
          + (Roots.Count > 0 ? $"; GC roots: {string.Join("; ", Roots)}" : "")
          + (Diagnosis is null ? "" : $"; {Diagnosis}");
}
