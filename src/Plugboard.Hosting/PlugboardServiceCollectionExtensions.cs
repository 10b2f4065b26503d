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

    /// <summary>
    /// Changes the <see cref="PluginHostOptions"/> of the <see cref="PluginHost{TContract}"/> that
    /// <see cref="AddPlugboard{TContract}(IServiceCollection, Action{PlugboardOptions}?)"/> creates, after the
    /// <see cref="PlugboardOptions"/> were applied: what configuration cannot say, such as an adapter that lets native
    /// plugins serve as <typeparamref name="TContract"/> (<see cref="PluginHostOptions.AddNativeAdapter{T}(Func{Native.NativePlugin, T})"/>)
    /// or the host interfaces they may look up (<see cref="PluginHostOptions.NativePlugins"/>).
    /// </summary>
    /// <typeparam name="TContract">The contract whose host to configure.</typeparam>
    /// <param name="services">The host's services.</param>
    /// <param name="configure">Changes to the host options; may be called several times, in order.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection ConfigurePluginHost<TContract>(this IServiceCollection services, Action<PluginHostOptions> configure)
        where TContract : class
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddSingleton(new PluginHostConfiguration<TContract>(configure));
        return services;
    }
}
