namespace Plugboard.Loading;

/// <summary>
/// How one version of a plugin hands its state to the version that replaces it at a reload
/// (<see cref="IPluginStateTransfer"/>), wherever each runs: in process the entry instances themselves, out of process
/// the plugin in its worker. The swap pairs the two sides by entry type, so that a state taken in one process is
/// imported in another.
/// </summary>
internal interface IStateHandover
{
    /// <summary>Whether an entry instance implements <see cref="IPluginStateTransfer"/>: only between two such versions is state handed over.</summary>
    bool TransfersState { get; }

    /// <summary>Whether this version has an entry instance of <paramref name="entryType"/> that takes a state (out of process the host cannot tell: yes).</summary>
    bool Takes(string entryType);

    /// <summary>
    /// Takes the state of every entry instance its successor <paramref name="takes"/> (in process only those are asked
    /// to export; out of process the worker exports every state and the other side skips the ones it has no instance
    /// for). Called once, after the version's calls drained and before the swap.
    /// </summary>
    /// <returns>One state per entry instance that exported one (an instance that returned null has none).</returns>
    /// <exception cref="Exception">Whatever keeps the state from being taken (the plugin threw, the state cannot cross): the reload fails with it and the old version serves on.</exception>
    Task<IReadOnlyList<HandedState>> ExportAsync(Func<string, bool> takes);

    /// <summary>Hands each entry instance the state of the predecessor's instance of its type (none: the instance keeps what it loaded with). Called before the version's first call.</summary>
    /// <exception cref="Exception">Whatever keeps the state from being imported: the reload fails with it and the old version serves on.</exception>
    Task ImportAsync(IReadOnlyList<HandedState> states);
}

/// <summary>One entry instance's exported state: the instance's type (the key that pairs it with its successor) and what it exported.</summary>
internal sealed record HandedState(string EntryType, object State);
