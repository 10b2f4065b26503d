namespace MyApp.Api;

/// <summary>
/// The contract plugins implement. The host loads plugins with <c>new PluginHost&lt;IPlugin&gt;()</c>, creates each
/// plugin's entry types (public classes implementing this interface) and calls them. Put here every type plugins
/// and the host exchange: they keep one identity on both sides.
/// </summary>
public interface IPlugin
{
    /// <summary>A short name for listings.</summary>
    string Name { get; }

    /// <summary>Does the plugin's work.</summary>
    /// <param name="input">What the host gives the plugin.</param>
    /// <returns>What the plugin gives back.</returns>
    string Execute(string input);
}
