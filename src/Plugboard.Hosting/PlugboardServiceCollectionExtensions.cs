using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Plugboard.Hosting;

/// <summary>Adds Plugboard to a generic host's services.</summary>
public static class PlugboardServiceCollectionExtensions
{
    /// <summary>
    /// Loads the plugins implementing <typeparamref name="TContract"/> when the host starts and unloads them when it
    /// stops. Options come from the <c>Plugboard</c> configuration section, then <paramref name="configure"/>, and are
    /// validated at start. Registers <see cref="IPluginSet{TContract}"/> (always the current plugins),
    /// <c>IEnumerable&lt;TContract&gt;</c> (the current entry instances when resolved), the
    /// <see cref="PluginHost{TContract}"/> and <see cref="PluginHealthCheck{TContract}"/>.
    /// </summary>
    /// <typeparam name="TContract">The contract plugins implement, from the host's public API.</typeparam>
    /// <param name="services">The host's services.</param>
    /// <param name="configure">Changes to the options after configuration binding.</param>
    /// <returns>The options builder, for further configuration or validation.</returns>
    /// <remarks>Call once per contract; the options are shared by every contract of a host.</remarks>
    public static OptionsBuilder<PlugboardOptions> AddPlugboard<TContract>(this IServiceCollection services, Action<PlugboardOptions>? configure = null)
        where TContract : class
    {
        ArgumentNullException.ThrowIfNull(services);
        OptionsBuilder<PlugboardOptions> options = services.AddOptions<PlugboardOptions>();
        if (!services.Any(d => d.ServiceType == typeof(IValidateOptions<PlugboardOptions>) && d.ImplementationType == typeof(PlugboardOptionsValidator)))
        {
            options.BindConfiguration(PlugboardOptions.SectionName);
            services.AddSingleton<IValidateOptions<PlugboardOptions>, PlugboardOptionsValidator>();
            options.ValidateOnStart();
        }
        if (configure is not null)
        {
            options.Configure(configure);
        }
        services.TryAddSingleton<PluginRuntime<TContract>>();
        services.TryAddSingleton<IPluginSet<TContract>>(sp => sp.GetRequiredService<PluginRuntime<TContract>>());
        services.TryAddSingleton(sp => sp.GetRequiredService<PluginRuntime<TContract>>().Host);
        services.TryAddTransient<IEnumerable<TContract>>(sp => sp.GetRequiredService<PluginRuntime<TContract>>().Current);
        services.TryAddTransient<PluginHealthCheck<TContract>>();
        services.AddHostedService<PlugboardHostedService<TContract>>();
        return options;
    }
}
