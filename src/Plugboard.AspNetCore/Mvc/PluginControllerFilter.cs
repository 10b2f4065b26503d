using System.Reflection;
using System.Runtime.ExceptionServices;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.Mvc.Filters;
using Plugboard.AspNetCore.Internal;

namespace Plugboard.AspNetCore.Mvc;

/// <summary>
/// Put on every controller of a plugin: runs its requests as the plugin's minimal-API requests run (under a lease of
/// the plugin, in a scope of its own services, its exceptions answered as PB0801 problem details). A resource filter,
/// so the controller itself is created inside the plugin's scope.
/// </summary>
internal sealed class PluginControllerFilter(string pluginId, IEnumerable<IWebPluginBinding> bindings) : IAsyncResourceFilter
{
    public Task OnResourceExecutionAsync(ResourceExecutingContext context, ResourceExecutionDelegate next)
    {
        if (bindings.FirstOrDefault(b => b.Serves(pluginId)) is not IWebPluginBinding binding)
        {
            return next();
        }
        Assembly controllerAssembly = ((ControllerActionDescriptor)context.ActionDescriptor).ControllerTypeInfo.Assembly;
        return binding.ServeControllerAsync(pluginId, controllerAssembly, context.HttpContext, async _ =>
        {
            ResourceExecutedContext executed = await next().ConfigureAwait(false);
            if (executed.Exception is Exception exception && !executed.ExceptionHandled)
            {
                // Thrown again here so the binding answers it as the plugin's failure; MVC writes nothing more.
                executed.ExceptionHandled = true;
                ExceptionDispatchInfo.Throw(exception);
            }
        });
    }
}
