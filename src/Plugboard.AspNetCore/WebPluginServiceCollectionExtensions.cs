using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Plugboard.AspNetCore.Dashboard;
using Plugboard.AspNetCore.Internal;
using Plugboard.AspNetCore.Mvc;
using Plugboard.AspNetCore.Routing;
using Plugboard.Hosting;

namespace Plugboard.AspNetCore;

/// <summary>Adds web plugins to an ASP.NET Core host's services.</summary>
public static class WebPluginServiceCollectionExtensions
{
    /// <summary>
    /// Serves the endpoints of the plugins of every contract added so far with
    /// <see cref="PlugboardServiceCollectionExtensions.AddPlugboard{TContract}"/>: each plugin whose entry implements
    /// <see cref="IWebPlugin"/> maps its endpoints under its prefix, live as it loads, reloads and unloads, once the
    /// application calls <see cref="PluginEndpointRouteBuilderExtensions.MapPlugins"/>. Shares
    /// <c>Plugboard.AspNetCore.Abstractions</c> with the plugins. Options come from the <c>Plugboard:Web</c>
    /// configuration section, then <paramref name="configure"/>.
    /// </summary>
    /// <param name="plugboard">What <c>AddPlugboard&lt;TContract&gt;()</c> returned.</param>
    /// <param name="configure">Changes to the options after configuration binding.</param>
    /// <returns>The web options builder, for further configuration.</returns>
    /// <exception cref="InvalidOperationException">No <c>AddPlugboard&lt;TContract&gt;()</c> came before.</exception>
    public static OptionsBuilder<WebPluginOptions> AddWebPlugins(this OptionsBuilder<PlugboardOptions> plugboard, Action<WebPluginOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(plugboard);
        IServiceCollection services = plugboard.Services;
        // The contracts AddPlugboard<TContract>() registered, by the host it registers for each.
        List<Type> contracts = [.. services.Select(d => d.ServiceType)
            .Where(t => t.IsGenericType && t.GetGenericTypeDefinition() == typeof(PluginHost<>))
            .Select(t => t.GetGenericArguments()[0]).Distinct()];
        if (contracts.Count == 0)
        {
            throw new InvalidOperationException("AddWebPlugins() found no plugin contract: call services.AddPlugboard<TContract>() first and AddWebPlugins() on what it returns.");
        }
        OptionsBuilder<WebPluginOptions> options = services.AddOptions<WebPluginOptions>();
        if (!services.Any(d => d.ServiceType == typeof(PluginEndpointDataSource)))
        {
            options.BindConfiguration(WebPluginOptions.SectionName);
            services.AddSingleton<PluginEndpointDataSource>();
            // Controllers, when the host adds MVC: the plugins' parts, MVC told of each change, their routes prefixed.
            services.AddSingleton<PluginApplicationParts>();
            services.AddSingleton<IActionDescriptorChangeProvider>(sp => sp.GetRequiredService<PluginApplicationParts>());
            services.AddTransient<IConfigureOptions<MvcOptions>, PluginMvcOptionsSetup>();
            // The dashboard's commands check an antiforgery token (MapPlugboardDashboard); registering it changes nothing else.
            services.AddAntiforgery();
        }
        if (configure is not null)
        {
            options.Configure(configure);
        }
        foreach (Type contract in contracts)
        {
            typeof(WebPluginServiceCollectionExtensions).GetMethod(nameof(AddFor), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
                .MakeGenericMethod(contract).Invoke(null, [services]);
        }
        return options;
    }

    private static void AddFor<TContract>(IServiceCollection services) where TContract : class
    {
        if (services.Any(d => d.ServiceType == typeof(WebPluginHooks<TContract>)))
        {
            return;
        }
        var hooks = new WebPluginHooks<TContract>();
        services.AddSingleton(hooks);
        services.ConfigurePluginHost<TContract>(hooks.Install);
        services.TryAddSingleton<WebPluginBinding<TContract>>();
        services.AddSingleton<IWebPluginBinding>(sp => sp.GetRequiredService<WebPluginBinding<TContract>>());
        services.AddSingleton<IPluginBoard, PluginBoard<TContract>>();
    }
}
