namespace Plugboard.AspNetCore;

/// <summary>
/// How <see cref="WebPluginServiceCollectionExtensions.AddWebPlugins"/> serves plugins' endpoints: the route prefix of
/// each plugin and the authorization policy the host applies to all of them. Bound from the <c>Plugboard:Web</c>
/// configuration section.
/// </summary>
public sealed class WebPluginOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = "Plugboard:Web";

    /// <summary>The prefix of a plugin's endpoints unless <see cref="RoutePrefixes"/> names one; <c>{id}</c> stands for the plugin id. Default <c>/plugins/{id}</c>.</summary>
    public string RoutePrefix { get; set; } = "/plugins/{id}";

    /// <summary>Prefixes by plugin id, in place of <see cref="RoutePrefix"/>.</summary>
    public IDictionary<string, string> RoutePrefixes { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The authorization policy every plugin endpoint requires, applied by the host whatever the plugin declares
    /// (a plugin's own <c>AllowAnonymous</c> does not lift it). Null: only what the plugin declares applies.
    /// </summary>
    public string? AuthorizationPolicy { get; set; }

    /// <summary>The prefix of one plugin's endpoints.</summary>
    /// <param name="pluginId">The plugin id.</param>
    /// <returns>The prefix, with <c>{id}</c> replaced.</returns>
    public string PrefixOf(string pluginId)
    {
        ArgumentNullException.ThrowIfNull(pluginId);
        string prefix = RoutePrefixes.TryGetValue(pluginId, out string? own) ? own : RoutePrefix;
        return prefix.Replace("{id}", pluginId, StringComparison.OrdinalIgnoreCase);
    }
}
