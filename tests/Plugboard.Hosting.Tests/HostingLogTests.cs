using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Plugboard.Hosting.Tests;

/// <summary>In a generic host, each plugin's problem and unload is logged once: by Plugboard, not again by the integration.</summary>
public sealed class HostingLogTests
{
    [Fact]
    public async Task An_incompatible_plugin_and_each_unload_are_logged_once_in_a_generic_host()
    {
        using var plugins = new PluginFolder("IdentityPlugin", "NewerMinorPlugin");
        var log = new CapturingLog();
        using IHost host = GenericHost.Build(GenericHost.Folder(plugins.Root), services: s => s.AddSingleton<ILoggerProvider>(log));

        await host.StartAsync();
        await host.StopAsync();

        CapturingLog.Written incompatible = Assert.Single(log.Problems("NewerMinorPlugin"));
        Assert.Equal(1001, incompatible.EventId.Id);
        Assert.Contains("PB0201", incompatible.Message, StringComparison.Ordinal);
        Assert.Single(log.Entries, e => e.Message.StartsWith("Unloaded plugin IdentityPlugin", StringComparison.Ordinal));
        CapturingLog.Written summary = Assert.Single(log.Entries, e => e.EventId.Id == 6001);
        Assert.Equal("Plugboard.Hosting", summary.Category);
        Assert.EndsWith(": 1 loaded, 1 failed, 0 skipped", summary.Message, StringComparison.Ordinal);
    }
}
