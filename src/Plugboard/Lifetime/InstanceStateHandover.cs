using Plugboard.Loading;

namespace Plugboard.Lifetime;

/// <summary>
/// State handover of a version that runs in process: its entry instances export and import it themselves, as objects
/// (no serialization). A state of the old version's own types is refused: it would keep the old version loaded.
/// </summary>
internal sealed class InstanceStateHandover<TContract>(IReadOnlyList<TContract> instances, PluginCode? code) : IStateHandover where TContract : class
{
    public bool TransfersState => instances.Any(i => i is IPluginStateTransfer);

    public bool Takes(string entryType) => Find(entryType) is not null;

    public Task<IReadOnlyList<HandedState>> ExportAsync(Func<string, bool> takes)
    {
        var states = new List<HandedState>();
        foreach (TContract instance in instances)
        {
            // An instance whose type the successor lacks is not asked: its state would go nowhere.
            if (instance is IPluginStateTransfer source && takes(instance.GetType().FullName!) && source.ExportState() is object state)
            {
                if (code?.Owns(state.GetType().Assembly) == true)
                {
                    throw new InvalidOperationException($"the exported state is of type {state.GetType().FullName}, which belongs to the old version of the plugin and would keep it loaded; export host API types, framework types or bytes");
                }
                states.Add(new HandedState(instance.GetType().FullName!, state));
            }
        }
        return Task.FromResult<IReadOnlyList<HandedState>>(states);
    }

    public Task ImportAsync(IReadOnlyList<HandedState> states)
    {
        foreach (HandedState state in states)
        {
            Find(state.EntryType)?.ImportState(state.State);
        }
        return Task.CompletedTask;
    }

    // Old and new instances pair by entry type name.
    private IPluginStateTransfer? Find(string entryType) =>
        instances.FirstOrDefault(i => i.GetType().FullName == entryType) as IPluginStateTransfer;
}
