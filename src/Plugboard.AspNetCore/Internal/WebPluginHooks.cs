using Plugboard.Hosting;

namespace Plugboard.AspNetCore.Internal;

/// <summary>
/// What the web integration installs into one contract's plugin host (through <c>ConfigurePluginHost</c>, before the
/// host exists): the entry factory wrapper that reports released versions, and the way to a version's own services.
/// </summary>
/// <typeparam name="TContract">The contract of that host.</typeparam>
internal sealed class WebPluginHooks<TContract> where TContract : class
{
    public VersionReleases Releases { get; } = new();

    /// <summary>Set when the host is created; null only if the host has no entry factory (never under AddPlugboard).</summary>
    public ReleaseNotifyingEntryFactory? Factory { get; private set; }

    public void Install(PluginHostOptions options)
    {
        options.SharedAssemblies.Add(typeof(IWebPlugin).Assembly);
        if (options.EntryFactory is PluginEntryFactory inner)
        {
            Factory = new ReleaseNotifyingEntryFactory(inner, Releases);
            options.EntryFactory = Factory;
        }
    }

    /// <summary>The services of the version <paramref name="instance"/> belongs to (its own, then the host's), or null.</summary>
    public PluginServiceScope? ServicesOf(object instance) =>
        Factory?.ContextOf(instance) is IPluginContext context && Factory.Inner is ServiceProviderEntryFactory services ? services.ScopeOf(context) : null;
}
