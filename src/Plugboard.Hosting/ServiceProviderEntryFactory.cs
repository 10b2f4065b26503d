using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;

namespace Plugboard.Hosting;

/// <summary>
/// Creates plugin entries through dependency injection: constructors may take host services, the plugin's own
/// services and its <see cref="IPluginContext"/>. Keeps one <see cref="PluginServiceScope"/> per plugin version and
/// disposes it when Plugboard releases that version.
/// </summary>
internal sealed class ServiceProviderEntryFactory(IServiceProvider hostServices) : PluginEntryFactory
{
    private readonly ConcurrentDictionary<IPluginContext, PluginServiceScope> _scopes = new(ReferenceEqualityComparer.Instance);

    /// <summary>How many plugin versions hold a scope now (for tests and health).</summary>
    public int LiveScopes => _scopes.Count;

    /// <summary>The services of one plugin version (its own, then the host's), or null when it has none yet.</summary>
    internal PluginServiceScope? ScopeOf(IPluginContext context) => _scopes.GetValueOrDefault(context);

    public override object Create(Type entryType, IPluginContext context)
    {
        PluginServiceScope scope = _scopes.GetOrAdd(context, c => PluginServiceScope.Create(entryType.Assembly, hostServices, c));
        try
        {
            return ActivatorUtilities.CreateInstance(scope, entryType);
        }
        catch (InvalidOperationException ex) when (ex.Message.Contains("Unable to resolve service", StringComparison.Ordinal)
            || ex.Message.Contains("suitable constructor", StringComparison.Ordinal))
        {
            throw new PluginException(PluginErrorCode.EntryTypeNotCreatable, context.PluginId, entryType.Assembly.Location,
                $"Dependency injection cannot create '{entryType.FullName}': {ex.Message}",
                "Register the services its constructor takes in the host (or in the plugin's IPluginServiceRegistration), or give it a constructor taking only registered services and IPluginContext.");
        }
    }

    public override async ValueTask ReleaseAsync(IPluginContext context)
    {
        if (_scopes.TryRemove(context, out PluginServiceScope? scope))
        {
            await scope.DisposeAsync().ConfigureAwait(false);
        }
    }
}
