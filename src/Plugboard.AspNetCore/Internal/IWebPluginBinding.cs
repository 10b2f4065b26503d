namespace Plugboard.AspNetCore.Internal;

/// <summary>One contract's plugins served as endpoints; started by <c>MapPlugins()</c>.</summary>
internal interface IWebPluginBinding
{
    /// <summary>Publishes the plugins loaded so far and follows every load, reload and unload from now on.</summary>
    void Start(IServiceProvider applicationServices);
}
