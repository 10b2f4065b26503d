using System.Runtime.Loader;
using System.Text.Json;
using Plugboard.Isolation;

namespace Plugboard.Serving;

/// <summary>
/// The worker's side of state handover across a restart: takes the plugin's state
/// (<see cref="IPluginStateTransfer.ExportState"/>) once calls have changed it and none is running, and imports the
/// state a restarted worker is handed before its first call. Every call passes through <see cref="EnterAsync"/> and
/// <see cref="Exit"/>, so that an export never runs beside a call: as in process, a plugin's state is taken only
/// while nothing can change it, and a call that arrives during an export waits for it.
/// </summary>
internal sealed class StateCheckpoints
{
    private readonly Lock _lock = new();
    private int _running;
    private bool _changed;
    private TaskCompletionSource? _exporting;

    /// <summary>A call starts: waits while an export runs.</summary>
    public async ValueTask EnterAsync()
    {
        while (true)
        {
            Task export;
            lock (_lock)
            {
                if (_exporting is null)
                {
                    _running++;
                    return;
                }
                export = _exporting.Task;
            }
            await export.ConfigureAwait(false);
        }
    }

    /// <summary>A call ended: the plugin may have changed, so the next checkpoint takes its state.</summary>
    public void Exit()
    {
        lock (_lock)
        {
            _running--;
            _changed = true;
        }
    }

    /// <summary>
    /// Takes the state of <paramref name="instances"/> if calls changed it since the last time and none runs now; null
    /// when there is nothing to take. Calls that arrive meanwhile wait.
    /// </summary>
    public StateCheckpoint? TryTake(IReadOnlyList<object> instances)
    {
        TaskCompletionSource exporting;
        lock (_lock)
        {
            if (_running > 0 || !_changed)
            {
                return null;
            }
            _changed = false;
            exporting = _exporting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        return TakeAndRelease(instances, exporting);
    }

    /// <summary>
    /// Takes the state of <paramref name="instances"/> now, for a reload (the host's calls to this version drained):
    /// whether or not calls changed it, after a checkpoint being taken. A call still running in the worker (one the
    /// host stopped waiting for) is a problem: the state is not taken beside it.
    /// </summary>
    public async Task<StateCheckpoint> TakeNowAsync(IReadOnlyList<object> instances)
    {
        TaskCompletionSource exporting;
        while (true)
        {
            Task export;
            lock (_lock)
            {
                if (_exporting is null)
                {
                    if (_running > 0)
                    {
                        return new StateCheckpoint([], $"{_running} call(s) still run in the worker, and the state is not taken beside a call");
                    }
                    exporting = _exporting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    break;
                }
                export = _exporting.Task;
            }
            await export.ConfigureAwait(false);
        }
        return TakeAndRelease(instances, exporting);
    }

    // Takes the state while the calls that arrive wait on exporting, then lets them go.
    private StateCheckpoint TakeAndRelease(IReadOnlyList<object> instances, TaskCompletionSource exporting)
    {
        try
        {
            return Take(instances);
        }
        finally
        {
            lock (_lock)
            {
                _exporting = null;
            }
            exporting.SetResult();
        }
    }

    /// <summary>Each instance's exported state; or, with a problem, why it cannot cross (the host keeps the last good one).</summary>
    private static StateCheckpoint Take(IReadOnlyList<object> instances)
    {
        var states = new List<InstanceState>();
        for (int i = 0; i < instances.Count; i++)
        {
            if (instances[i] is not IPluginStateTransfer source)
            {
                continue;
            }
            string entryType = instances[i].GetType().FullName!;
            object? state;
            try
            {
                state = source.ExportState();
            }
#pragma warning disable CA1031 // Whatever the plugin's ExportState throws is the checkpoint's problem, reported to the host.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                return new StateCheckpoint([], $"{entryType}.ExportState threw {ex.GetType().FullName}: {ex.Message}");
            }
            if (state is null)
            {
                continue;
            }
            Type type = state.GetType();
            if (PluginOwned(type) is Type owned)
            {
                return new StateCheckpoint([], $"{entryType}.ExportState returned a {type.FullName}, and {owned.FullName} belongs to the plugin: a restarted worker reads the state before it runs any plugin code, with the host API and the framework only; export host API types, framework types or bytes");
            }
            try
            {
                states.Add(InstanceState.Of(i, entryType, state));
            }
            catch (Exception ex) when (ex is NotSupportedException or JsonException or InvalidOperationException)
            {
                return new StateCheckpoint([], $"the {type.FullName} that {entryType}.ExportState returned cannot be serialized as JSON: {ex.Message}");
            }
        }
        long bytes = states.Sum(s => (long)s.State.GetRawText().Length);
        return bytes <= MaxStateBytes ? new StateCheckpoint(states, null)
            : new StateCheckpoint([], $"the exported state is {bytes} bytes of JSON, more than the {MaxStateBytes} a checkpoint may carry; export less (an id to reload the rest from, not the data itself)");
    }

    /// <summary>Half a frame: the state travels in a checkpoint, and back in a hello beside the plugin's file list.</summary>
    public const int MaxStateBytes = WorkerProtocol.MaxFrameBytes / 2;

    /// <summary>
    /// Hands each instance the state its predecessor exported, paired by entry type; why not, or null when every state
    /// was imported. At a restart (the same build) every state must find its instance; at a reload
    /// (<paramref name="skipMissing"/>) a state whose type the new version lacks is skipped, as in process.
    /// </summary>
    public static string? Import(IReadOnlyList<object> instances, IReadOnlyList<InstanceState> states, bool skipMissing = false)
    {
        foreach (InstanceState state in states)
        {
            object? instance = state.Instance >= 0 && state.Instance < instances.Count && instances[state.Instance].GetType().FullName == state.EntryType
                ? instances[state.Instance]
                : instances.FirstOrDefault(i => i.GetType().FullName == state.EntryType);
            if (instance is not IPluginStateTransfer target)
            {
                if (skipMissing)
                {
                    continue;
                }
                return $"the state was taken from entry instance {state.Instance} ({state.EntryType}), which the restarted plugin does not have as an IPluginStateTransfer";
            }
            object? value;
            try
            {
                value = state.Read();
            }
            catch (Exception ex) when (ex is TypeLoadException or FileNotFoundException or FileLoadException or NotSupportedException or JsonException or InvalidOperationException)
            {
                return $"the state of {state.EntryType} ({state.StateType}) cannot be read back: {ex.Message}";
            }
            if (value is null)
            {
                continue;
            }
            try
            {
                target.ImportState(value);
            }
#pragma warning disable CA1031 // Whatever the plugin's ImportState throws is the handover's problem, reported to the host.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                return $"{state.EntryType}.ImportState threw {ex.GetType().FullName}: {ex.Message}";
            }
        }
        return null;
    }

    /// <summary>The first type in <paramref name="type"/> (itself, an element or a generic argument) loaded from the plugin's own files.</summary>
    private static Type? PluginOwned(Type type)
    {
        if (AssemblyLoadContext.GetLoadContext(type.Assembly) != AssemblyLoadContext.Default)
        {
            return type;
        }
        if (type.HasElementType && PluginOwned(type.GetElementType()!) is Type element)
        {
            return element;
        }
        return type.IsGenericType ? type.GetGenericArguments().Select(PluginOwned).FirstOrDefault(t => t is not null) : null;
    }
}
