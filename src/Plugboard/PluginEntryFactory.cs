namespace Plugboard;

/// <summary>
/// Creates the entry instances of plugins, in place of Plugboard's own rule (a public constructor taking an
/// <see cref="IPluginContext"/> or nothing). Set it on <see cref="PluginHostOptions.EntryFactory"/>, e.g. to build
/// entries through a dependency-injection container so their constructors can take host services.
/// </summary>
/// <remarks>
/// Plugboard calls <see cref="Create"/> once per entry type of every plugin version it loads (a reload is a new
/// version with a new <see cref="IPluginContext"/>), after checking that the type implements the contract, and
/// <see cref="ReleaseAsync"/> once per version, after its stop hooks ran (or after it failed to load) and before its
/// load context unloads: anything kept per version (a service scope) must be dropped there, or the version cannot be
/// collected. An exception thrown by <see cref="Create"/> fails the plugin: a <see cref="PluginException"/> as it is,
/// any other as <see cref="PluginErrorCode.ConstructorThrew"/>.
/// </remarks>
public abstract class PluginEntryFactory
{
    /// <summary>Creates one entry instance.</summary>
    /// <param name="entryType">The entry type, loaded in the plugin's context; it implements the host's contract.</param>
    /// <param name="context">The context of the plugin version being loaded; the same object for all its entries.</param>
    /// <returns>The instance, which must be assignable to <paramref name="entryType"/>.</returns>
    public abstract object Create(Type entryType, IPluginContext context);

    /// <summary>Drops what was kept for one plugin version; called once after its stop hooks or its failed load.</summary>
    /// <param name="context">The context <see cref="Create"/> received for that version.</param>
    /// <returns>A task that completes when everything is released.</returns>
    public virtual ValueTask ReleaseAsync(IPluginContext context) => ValueTask.CompletedTask;
}
