namespace Plugboard;

/// <summary>
/// Where a loaded plugin is in its life. A plugin is always in exactly one state; every lifecycle operation moves it
/// from one to the next, and a cancelled or timed-out operation moves it back to where it was (see docs/lifetime.md).
/// </summary>
public enum PluginState
{
    /// <summary>Loaded and initialized; its start hooks have not finished yet. Calls are served.</summary>
    Loading,
    /// <summary>Serving calls.</summary>
    Active,
    /// <summary>A new version is being prepared or swapped in (or a plugin it depends on is): calls are served, or wait for the swap.</summary>
    Reloading,
    /// <summary>Being unloaded: new calls are refused, calls in flight finish, the stop hooks run.</summary>
    Retiring,
    /// <summary>It failed too many calls in a row and is no longer called until it is reloaded.</summary>
    Faulted,
    /// <summary>Gone: calls fail with <see cref="PluginErrorCode.PluginUnloaded"/>.</summary>
    Unloaded,
}
