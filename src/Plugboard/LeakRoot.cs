namespace Plugboard;

/// <summary>
/// One GC root that keeps an unloaded plugin's <c>LoaderAllocator</c> alive, found by a deep diagnosis
/// (<see cref="PluginHostOptions.UnloadDiagnosis"/>): the root's kind, which root it is, and the chain of object types
/// from the root to the first object of the plugin.
/// </summary>
public sealed class LeakRoot
{
    /// <summary>Creates a root description (diagnosis implementations create these).</summary>
    /// <param name="kind">The kind of root.</param>
    /// <param name="root">Which root: e.g. <c>static field TestApi.HostEvents.Tick (TestApi)</c> or <c>stack of thread 12 'worker'</c>.</param>
    /// <param name="chain">Object types from the root (first) to the plugin's object (last).</param>
    public LeakRoot(LeakRootKind kind, string root, IReadOnlyList<string> chain)
    {
        Kind = kind;
        Root = root;
        Chain = chain;
    }

    /// <summary>The kind of root.</summary>
    public LeakRootKind Kind { get; }

    /// <summary>Which root it is, readable: the field with its type and assembly, the handle, the thread.</summary>
    public string Root { get; }

    /// <summary>The type of each object on the path from the root (first) to the plugin's object (last).</summary>
    public IReadOnlyList<string> Chain { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Kind}: {Root}: {string.Join(" -> ", Chain)}";
}
