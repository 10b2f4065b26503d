using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Plugboard.Hosting.Tests;

/// <summary>A plugin abandoned at start shows in the generic host's health report, through the health check service.</summary>
// Its initialize hook times out after 0.3 s of wall-clock time: a global measurement (tests/README.md), so it runs alone.
[Collection(GlobalMeasurement.Name)]
public sealed class AbandonedPluginHealthTests
{
    [Fact]
    public async Task A_plugin_whose_initialize_hook_blocks_makes_the_health_report_degraded_and_names_it_abandoned()
    {
        using var plugins = new PluginFolder("IdentityPlugin", "LifecyclePlugin");
        using IHost host = GenericHost.Build(
            GenericHost.Folder(plugins.Root, ("Plugboard:InitializationTimeout", "00:00:00.300"), ("Plugboard:Settings:LifecyclePlugin:Init", "block")),
            services: s => s.AddHealthChecks().AddCheck<PluginHealthCheck<ILedgerPlugin>>("plugins"));
        await host.StartAsync();

        HealthReport report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.Equal(HealthStatus.Degraded, report.Status);
        HealthReportEntry check = report.Entries["plugins"];
        Assert.Equal(HealthStatus.Degraded, check.Status);
        Assert.StartsWith("1 plugin(s) loaded, 1 failed, 1 abandoned plugin context(s); PB0305", check.Description, StringComparison.Ordinal);
        Assert.Equal(["LifecyclePlugin: InitializeAsync timed out"], (string[])check.Data["abandoned"]);
        Assert.Equal(["IdentityPlugin 2.1.0"], (string[])check.Data["loaded"]);
        Assert.Equal(["LifecyclePlugin: PB0305"], (string[])check.Data["failed"]);
        await host.StopAsync();
    }
}
