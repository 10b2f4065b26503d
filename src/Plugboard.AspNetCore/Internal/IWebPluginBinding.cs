namespace Plugboard.AspNetCore.Internal;

/// <summary>One contract's plugins served as endpoints; started by <c>MapPlugins()</c>.</summary>
internal interface IWebPluginBinding
{
    /// <summary>Publishes the plugins loaded so far and follows every load, reload and unload from now on.</summary>
    void Start(IServiceProvider applicationServices);

    /// <summary>Whether one of this binding's plugins has the id.</summary>
    bool Serves(string pluginId);

    /// <summary>Runs one controller request of the plugin as its endpoints' requests run: leased, in a scope of its own services, failures as problem details.</summary>
    /// <param name="pluginId">The plugin.</param>
    /// <param name="controllerAssembly">The assembly of the routed action's controller: which version MVC routed to.</param>
    /// <param name="http">The request.</param>
    /// <param name="next">The rest of MVC's pipeline.</param>
    Task ServeControllerAsync(string pluginId, System.Reflection.Assembly controllerAssembly, Microsoft.AspNetCore.Http.HttpContext http, Microsoft.AspNetCore.Http.RequestDelegate next);
}
