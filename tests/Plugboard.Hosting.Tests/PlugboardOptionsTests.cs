using System.Reflection;

namespace Plugboard.Hosting.Tests;

/// <summary>
/// The hosting options take their defaults from <see cref="PluginHostOptions"/>: one source, so a default changed
/// there is what an <c>appsettings.json</c> without that key gets.
/// </summary>
public sealed class PlugboardOptionsTests
{
    [Fact]
    public void Every_setting_the_hosting_options_share_with_the_host_options_has_the_host_options_default()
    {
        var hosting = new PlugboardOptions();
        var host = new PluginHostOptions();
        PropertyInfo[] shared = [.. typeof(PlugboardOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => typeof(PluginHostOptions).GetProperty(p.Name, BindingFlags.Public | BindingFlags.Instance) is PropertyInfo twin
                && twin.PropertyType == p.PropertyType && p.PropertyType.IsValueType)];

        // The settings both option classes have (collections such as HostApiAssemblies differ in element type and start empty).
        Assert.Equal(["DrainTimeout", "FaultThreshold", "InitializationTimeout", "StopTimeout", "UnloadCollectionAttempts"],
            shared.Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.All(shared, p => Assert.Equal(typeof(PluginHostOptions).GetProperty(p.Name)!.GetValue(host), p.GetValue(hosting)));
    }
}
