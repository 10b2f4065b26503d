namespace Plugboard;

/// <summary>
/// Lets a plugin hand state to the version that replaces it on hot reload. Implement it on an entry type; the
/// host pairs old and new instances by entry type name.
/// </summary>
/// <remarks>
/// The host calls <see cref="ExportState"/> on the old instance after its calls in flight have finished and before
/// any call reaches the new one, then <see cref="ImportState"/> on the new instance: no update is lost in between.
/// The state must not reference the plugin's own types (they belong to the old version and would keep it loaded):
/// use host API types, framework types or bytes. Out of process, or when a reload moves the plugin across the process
/// boundary, the state crosses as JSON of its own type (it must be serializable, and a host API or framework type).
/// Out of process, the worker also calls <see cref="ExportState"/>
/// whenever calls have changed the plugin and none runs (at most once per
/// <c>PluginIsolationOptions.StateCheckpointInterval</c>), so that a worker restarted after a crash can be handed the
/// last state through <see cref="ImportState"/>: there it is called many times, must not change the plugin, and its
/// state must be serializable as JSON of its own type.
/// </remarks>
public interface IPluginStateTransfer
{
    /// <summary>Returns the state to carry over, or null for none. Called with no call in flight: once, on the old version, at a reload; out of process, also at each checkpoint.</summary>
    /// <returns>Host API types, framework types or bytes; never the plugin's own types.</returns>
    object? ExportState();

    /// <summary>Receives the predecessor's state. Called once, on the new version, after its initialization and before its first call.</summary>
    /// <param name="state">What the old version exported (never null).</param>
    void ImportState(object state);
}
