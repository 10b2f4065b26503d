using System.Text.Json;
using Plugboard.Loading;

namespace Plugboard.Isolation;

/// <summary>
/// State handover of a version that runs out of process: its worker's plugin exports and imports it, and the state
/// crosses as JSON of its own type. The host reads it back as that type (a host API or framework type, loaded here
/// too), so that a version on either side of the boundary can take it: a reload may move a plugin in or out of process.
/// </summary>
internal sealed class WorkerStateHandover(WorkerSupervisor supervisor) : IStateHandover
{
    public bool TransfersState => supervisor.TransfersState;

    // The host does not know which entry types the worker's plugin has; the worker skips a state it has no instance for.
    public bool Takes(string entryType) => true;

    public async Task<IReadOnlyList<HandedState>> ExportAsync(Func<string, bool> takes)
    {
        IReadOnlyList<InstanceState> states = await supervisor.ExportStateAsync().ConfigureAwait(false);
        return [.. states.Select(Read)];
    }

    public Task ImportAsync(IReadOnlyList<HandedState> states) => supervisor.ImportStateAsync([.. states.Select(Write)]);

    private static HandedState Read(InstanceState state)
    {
        try
        {
            return new HandedState(state.EntryType, state.Read() ?? throw new InvalidOperationException($"the state of {state.EntryType} reads back as null"));
        }
        catch (Exception ex) when (ex is TypeLoadException or FileNotFoundException or FileLoadException or NotSupportedException or JsonException)
        {
            throw new InvalidOperationException($"the state of {state.EntryType} ({state.StateType}) cannot be read back in the host: {ex.Message}", ex);
        }
    }

    // Instance -1: the worker pairs the state with the entry instance of its type (the versions may differ).
    private static InstanceState Write(HandedState state)
    {
        try
        {
            return InstanceState.Of(-1, state.EntryType, state.State);
        }
        catch (Exception ex) when (ex is NotSupportedException or JsonException or InvalidOperationException)
        {
            throw new InvalidOperationException($"the {state.State.GetType().FullName} that {state.EntryType}.ExportState returned cannot cross to the new version's worker as JSON: {ex.Message}", ex);
        }
    }
}
