using Microsoft.Extensions.DependencyInjection;

namespace Plugboard.Hosting;

/// <summary>
/// Implemented by a plugin (a public class with a public parameterless constructor) to register services of its own.
/// They go into a container private to the plugin version, which falls back to the host's services: the plugin's
/// entry constructors can take both. The container is disposed when the plugin unloads or reloads, and nothing of it
/// ever reaches the host's container.
/// </summary>
/// <example>
/// <code>
/// public sealed class Services : IPluginServiceRegistration
/// {
///     public void ConfigureServices(IServiceCollection services, IPluginContext context) =&gt;
///         services.AddSingleton&lt;RateTable&gt;();
/// }
/// </code>
/// </example>
public interface IPluginServiceRegistration
{
    /// <summary>Registers the plugin's services; called once per plugin version, before its entry instances are created.</summary>
    /// <param name="services">The plugin's own service collection.</param>
    /// <param name="context">The plugin's context: id, version, settings, log.</param>
    void ConfigureServices(IServiceCollection services, IPluginContext context);
}
