namespace Plugboard.Hosting;

/// <summary>
/// The plugins of one contract in a generic host, always current: after a reload it hands out the new version's
/// instances, never a dead one. Inject it into long-lived services instead of <c>IEnumerable&lt;TContract&gt;</c>,
/// which is a snapshot taken when it is resolved.
/// </summary>
/// <typeparam name="TContract">The contract plugins implement.</typeparam>
public interface IPluginSet<TContract> : IEnumerable<TContract> where TContract : class
{
    /// <summary>The entry instances of every loaded plugin, right now. Do not keep them: a reload replaces them.</summary>
    IReadOnlyList<TContract> Current { get; }

    /// <summary>The loaded plugins; call them through <see cref="LoadedPlugin{TContract}.Invoke{TResult}"/> to be safe against a concurrent reload.</summary>
    IReadOnlyList<LoadedPlugin<TContract>> Plugins { get; }

    /// <summary>
    /// What failed, by plugin id (or plugin folder, when a whole folder could not be read), each with its latest
    /// typed error: loading, reloading, the trust policy, or faulting. A plugin leaves the list once it loads or reloads.
    /// </summary>
    IReadOnlyDictionary<string, PluginException> Failures { get; }

    /// <summary>A snapshot of what is loaded, what failed and whether a reload is under way.</summary>
    PluginHealth Health { get; }

    /// <summary>Calls every loaded plugin's first entry under a lease, so a reload waits for the call and the call never reaches an unloaded version.</summary>
    /// <typeparam name="TResult">What each call returns.</typeparam>
    /// <param name="call">The call.</param>
    /// <returns>One result per loaded plugin; plugins unloaded meanwhile or faulted are skipped.</returns>
    IReadOnlyList<TResult> InvokeAll<TResult>(Func<TContract, TResult> call);
}
