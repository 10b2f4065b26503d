namespace Plugboard.Hosting.Tests;

/// <summary>Health counts abandoned plugin contexts: a plugin whose hook timed out still occupies memory.</summary>
public sealed class PluginHealthTests
{
    [Fact]
    public void Abandoned_plugin_contexts_make_the_health_degraded_and_are_counted_in_its_description()
    {
        var error = new PluginException(PluginErrorCode.StopTimedOut, "stuck", null, "Its StopAsync hook did not finish within 10 s.", "Make StopAsync return promptly.");
        var loaded = new Dictionary<string, string> { ["IdentityPlugin"] = "1.0.0" };

        var noFailures = new Dictionary<string, PluginException>();
        var health = new PluginHealth(true, loaded, noFailures, false) { Abandoned = [new AbandonedPlugin("stuck", "StopAsync", error)] };

        Assert.Equal(PluginHealthStatus.Degraded, health.Status);
        Assert.Equal("1 plugin(s) loaded, 0 failed, 1 abandoned plugin context(s)", health.Description);
        Assert.Equal(PluginHealthStatus.Healthy, new PluginHealth(true, loaded, noFailures, false).Status);
    }
}
