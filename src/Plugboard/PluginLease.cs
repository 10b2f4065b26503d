using Plugboard.Lifetime;

namespace Plugboard;

/// <summary>
/// The current version of a plugin, held for the duration of a call: while a lease is open, a reload or unload
/// waits for it before retiring that version. Dispose it as soon as the call is done.
/// </summary>
/// <typeparam name="TContract">The host's contract type.</typeparam>
public readonly struct PluginLease<TContract> : IDisposable where TContract : class
{
    private readonly PluginGeneration<TContract>? _generation;

    internal PluginLease(PluginGeneration<TContract> generation) => _generation = generation;

    /// <summary>The first entry instance of the leased version.</summary>
    /// <exception cref="InvalidOperationException">The lease is default or disposed.</exception>
    public TContract Instance => _generation?.First ?? (Instances.Count > 0 ? Instances[0] : throw new InvalidOperationException("The plugin has no entry instance."));

    /// <summary>Every entry instance of the leased version.</summary>
    public IReadOnlyList<TContract> Instances => _generation?.Instances ?? throw new InvalidOperationException("This lease holds no plugin version.");

    /// <summary>The version of the plugin this lease holds.</summary>
    public PluginCatalogEntry Entry => _generation?.Entry ?? throw new InvalidOperationException("This lease holds no plugin version.");

    /// <summary>Ends the call: a pending reload or unload may now retire this version.</summary>
    public void Dispose() => _generation?.Gate.Exit();
}
