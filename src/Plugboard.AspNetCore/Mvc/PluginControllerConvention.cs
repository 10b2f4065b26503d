using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ApplicationModels;
using Microsoft.Extensions.Options;
using Plugboard.AspNetCore.Internal;

namespace Plugboard.AspNetCore.Mvc;

/// <summary>
/// Puts a plugin's controllers under the plugin's prefix and the host's authorization policy, as its minimal-API
/// endpoints are, marks their endpoints with <see cref="PluginEndpointMetadata"/>, and runs their requests through
/// <see cref="PluginControllerFilter"/>.
/// </summary>
internal sealed class PluginControllerConvention(PluginApplicationParts parts, IOptions<WebPluginOptions> options, IEnumerable<IWebPluginBinding> bindings) : IApplicationModelConvention
{
    public void Apply(ApplicationModel application)
    {
        foreach (ControllerModel controller in application.Controllers)
        {
            if (parts.PluginOf(controller.ControllerType.Assembly) is not (string pluginId, string prefix, var version))
            {
                continue;
            }
            // The controller's route (or none) under the prefix; its actions' routes combine with it as usual.
            var prefixRoute = new AttributeRouteModel(new RouteAttribute(prefix.TrimStart('/')));
            controller.Filters.Add(new PluginControllerFilter(pluginId, bindings));
            foreach (SelectorModel selector in controller.Selectors)
            {
                selector.AttributeRouteModel = AttributeRouteModel.CombineAttributeRouteModel(prefixRoute, selector.AttributeRouteModel);
                selector.EndpointMetadata.Add(new PluginEndpointMetadata(pluginId, version));
                if (options.Value.AuthorizationPolicy is string policy)
                {
                    selector.EndpointMetadata.Add(new AuthorizeAttribute(policy));
                }
            }
        }
    }
}

/// <summary>Adds <see cref="PluginControllerConvention"/> to MVC's options.</summary>
internal sealed class PluginMvcOptionsSetup(PluginApplicationParts parts, IOptions<WebPluginOptions> options, IEnumerable<IWebPluginBinding> bindings) : IConfigureOptions<MvcOptions>
{
    public void Configure(MvcOptions mvc) => mvc.Conventions.Add(new PluginControllerConvention(parts, options, bindings));
}
