using System.Reflection;
using Plugboard.Loading;

namespace Plugboard.Lifetime;

/// <summary>
/// One loaded version of a plugin, of any kind: its code (as its runtime loaded it), its entry instances, and the
/// gate its calls pass. A reload creates a new generation beside the old one and retires the old one once its calls
/// have finished.
/// </summary>
internal sealed class PluginGeneration<TContract>(PluginCatalogEntry entry, PluginCode code,
    IReadOnlyList<TContract> instances, IPluginContext pluginContext, LeakSuspects.Baseline baseline) where TContract : class
{
    public PluginCatalogEntry Entry { get; } = entry;

    public IPluginContext PluginContext { get; } = pluginContext;

    public PluginCode? Code { get; private set; } = code;

    public Assembly? MainAssembly => Code?.MainAssembly;

    public IReadOnlyList<TContract> Instances { get; private set; } = instances;

    /// <summary>
    /// The first entry instance (null when there is none or after release), kept apart so that a call reaches it
    /// with one field read instead of two interface calls on <see cref="Instances"/> in shared generic code.
    /// </summary>
    public TContract? First { get; private set; } = instances.Count > 0 ? instances[0] : null;

    /// <summary>The one call gate: counts calls in flight, closes for retirement, signals when drained.</summary>
    public CallGate Gate { get; } = new();

    public int InFlight => Gate.InFlight;

    /// <summary>Timers and threads when this version loaded, to tell what it may have left running.</summary>
    public LeakSuspects.Baseline Baseline { get; } = baseline;

    /// <summary>
    /// Why Plugboard stopped waiting for the start hook, when it did (its deadline passed, or the load was cancelled):
    /// its code may still run, so the version's retirement abandons it when its context stays alive.
    /// </summary>
    public PluginException? StartAbandoned { get; set; }

    /// <summary>Drops every strong reference this generation holds to plugin code and returns the code to release.</summary>
    public PluginCode Release()
    {
        PluginCode code = Code!;
        Instances = [];
        First = null;
        Code = null;
        return code;
    }
}
