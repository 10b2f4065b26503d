namespace Plugboard;

/// <summary>
/// Gives the plugin a stable id other than its assembly name. <c>plugin.json</c>'s <c>id</c> wins over it.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly)]
public sealed class PluginIdAttribute : Attribute
{
    /// <summary>Sets the plugin id.</summary>
    /// <param name="id">Letters, digits, '.', '-' and '_'; compared case-insensitively.</param>
    public PluginIdAttribute(string id) => Id = id;

    /// <summary>The plugin id.</summary>
    public string Id { get; }
}
