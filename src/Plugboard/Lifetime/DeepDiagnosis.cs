namespace Plugboard.Lifetime;

/// <summary>Runs the host's <see cref="UnloadDiagnosis"/> for a plugin that was not collected, or says how to turn one on.</summary>
internal static class DeepDiagnosis
{
    public const string Off = "deep diagnosis is off: set PluginHostOptions.UnloadDiagnosis = new Plugboard.Diagnostics.HeapRootDiagnosis() (package Plugboard.Diagnostics) to name every GC root that keeps the plugin alive";

    public static (IReadOnlyList<LeakRoot> Roots, string? Note) Run(UnloadDiagnosis? diagnosis, string pluginId, WeakReference context)
    {
        if (diagnosis is null)
        {
            return ([], Off);
        }
        try
        {
            IReadOnlyList<LeakRoot> roots = diagnosis.FindRoots(pluginId, context);
            return roots.Count > 0 || !context.IsAlive
                ? (roots, null)
                : (roots, "deep diagnosis found no GC root leading to the plugin (it may be kept by a native structure of the runtime)");
        }
#pragma warning disable CA1031 // A diagnosis that fails must not fail the unload it explains; the report says why.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return ([], $"deep diagnosis failed: {ex.GetType().Name}: {ex.Message}");
        }
    }
}
