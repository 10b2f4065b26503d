using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Plugboard.Trust;

namespace Plugboard.Hosting.Tests;

/// <summary>Plugboard in a real generic host: load at start, plugins as services created through DI, unload at stop.</summary>
[Collection(GlobalMeasurement.Name)]
public sealed class HostingTests
{
    [Fact]
    public async Task Plugins_load_at_start_resolve_as_services_take_host_services_and_are_collected_after_stop()
    {
        using var plugins = new PluginFolder("IdentityPlugin", "ServicesPlugin", "NewerMinorPlugin");
        using IHost host = GenericHost.Build(GenericHost.Folder(plugins.Root));
        await host.StartAsync();

        WeakReference context = UsePlugins(host.Services);

        var set = host.Services.GetRequiredService<IPluginSet<ILedgerPlugin>>();
        PluginHealth health = set.Health;
        Assert.Equal(PluginHealthStatus.Degraded, health.Status);
        Assert.Equal(["IdentityPlugin", "ServicesPlugin"], health.Loaded.Keys.Order());
        Assert.Equal(PluginErrorCode.HostApiVersionIncompatible, set.Failures["NewerMinorPlugin"].Code);

        await host.StopAsync();

        Journal journal = host.Services.GetRequiredService<Journal>();
        Assert.Contains("ServicesPlugin 1.0.0: own services disposed", journal.Lines);
        Assert.True(GcLoop.Until(() => !context.IsAlive), "the ServicesPlugin context was not collected after the host stopped");
        Assert.False(set.Health.Started);
        Assert.Empty(set.Current);
    }

    // Not inlined: nothing of the plugins may stay in the test method's frame.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference UsePlugins(IServiceProvider services)
    {
        List<ILedgerPlugin> instances = [.. services.GetRequiredService<IEnumerable<ILedgerPlugin>>()];
        Assert.Equal(["identity", "services"], instances.Select(p => p.Name).Order());
        ILedgerPlugin servicesPlugin = instances.Single(p => p.Name == "services");

        var ledger = new Ledger();
        servicesPlugin.Apply(ledger);
        Assert.Equal("services #1", Assert.Single(ledger.Entries).Memo);                  // the plugin's own singleton
        Assert.Contains("ServicesPlugin applied to a ledger of 1 entries", services.GetRequiredService<Journal>().Lines); // the host's singleton
        Assert.Equal("ServicesPlugin 1.0.0 call 2", servicesPlugin.Describe());
        return new WeakReference(AssemblyLoadContext.GetLoadContext(servicesPlugin.GetType().Assembly));
    }

    [Fact]
    public async Task A_reload_gives_consumers_the_new_version_and_disposes_the_old_versions_services()
    {
        using var plugins = new PluginFolder("ServicesPlugin");
        using IHost host = GenericHost.Build(GenericHost.Folder(plugins.Root));
        await host.StartAsync();
        var set = host.Services.GetRequiredService<IPluginSet<ILedgerPlugin>>();
        Assert.Equal(["ServicesPlugin 1.0.0 call 1"], set.InvokeAll(p => p.Describe()));
        WeakReference oldContext = ContextOf(set);

        ReloadResult result = await set.Plugins.Single().ReloadAsync();

        Assert.True(result.Succeeded, result.ToString());
        Assert.True(result.PreviousUnload!.Collected, result.PreviousUnload.ToString());
        Assert.False(oldContext.IsAlive);
        Assert.Equal(["ServicesPlugin 1.0.0 call 1"], set.InvokeAll(p => p.Describe())); // a new version: its own counter starts again
        Assert.Single(host.Services.GetRequiredService<Journal>().Lines, l => l.EndsWith("own services disposed", StringComparison.Ordinal));
        await host.StopAsync();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference ContextOf(IPluginSet<ILedgerPlugin> set) =>
        new(AssemblyLoadContext.GetLoadContext(set.Current.Single().GetType().Assembly));

    [Fact]
    public async Task Hot_reload_from_configuration_swaps_in_a_rebuilt_plugin()
    {
        using var plugins = new PluginFolder("ReloadablePlugin");
        using IHost host = GenericHost.Build(GenericHost.Folder(plugins.Root, ("Plugboard:HotReload", "true"), ("Plugboard:ReloadDebounce", "00:00:00.100")));
        await host.StartAsync();
        var set = host.Services.GetRequiredService<IPluginSet<ILedgerPlugin>>();
        set.InvokeAll(p => p.Create(1m, "call"));
        Assert.Equal(["v1:1"], set.InvokeAll(p => p.Describe()));

        plugins.Overwrite("ReloadablePlugin", "ReloadablePluginV2");

        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (set.InvokeAll(p => p.Describe()).SequenceEqual(["v1:1"]) && clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(50);
        }
        Assert.Equal(["v2:1"], set.InvokeAll(p => p.Describe())); // the new build, with the state handed over
        Assert.Equal("2.0.0", set.Health.Loaded["ReloadablePlugin"]);
        await host.StopAsync();
    }

    [Fact]
    public async Task A_plugin_that_differs_from_the_lock_file_is_not_loaded()
    {
        using var plugins = new PluginFolder("IdentityPlugin", "ServicesPlugin");
        string lockFile = Path.Combine(plugins.Root, PluginLockFile.DefaultFileName);
        PluginLockFile.Create(plugins.Root).Save(lockFile);
        string dll = plugins.PathOf("IdentityPlugin", "IdentityPlugin.dll");
        byte[] bytes = File.ReadAllBytes(dll);
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(dll, bytes);

        using IHost host = GenericHost.Build(GenericHost.Folder(plugins.Root, ("Plugboard:LockFile", lockFile)));
        await host.StartAsync();
        var set = host.Services.GetRequiredService<IPluginSet<ILedgerPlugin>>();

        Assert.Equal(["services"], set.InvokeAll(p => p.Name));
        PluginException error = set.Failures["IdentityPlugin"];
        Assert.Equal(PluginErrorCode.IntegrityCheckFailed, error.Code);
        Assert.Equal(dll, error.PluginPath);
        HealthCheckResult check = await host.Services.GetRequiredService<PluginHealthCheck<ILedgerPlugin>>()
            .CheckHealthAsync(new HealthCheckContext { Registration = new HealthCheckRegistration("plugins", _ => null!, null, null) });
        Assert.Equal(HealthStatus.Degraded, check.Status);
        await host.StopAsync();
    }

    [Fact]
    public async Task A_constructor_asking_for_an_unregistered_service_fails_that_plugin_only_with_PB0302()
    {
        using var plugins = new PluginFolder("IdentityPlugin", "ServicesPlugin");
        using IHost host = GenericHost.Build(GenericHost.Folder(plugins.Root), withJournal: false);
        var set = host.Services.GetRequiredService<IPluginSet<ILedgerPlugin>>();
        Assert.Equal(PluginHealthStatus.Unhealthy, set.Health.Status); // not started yet

        await host.StartAsync();

        Assert.Equal(["identity"], set.InvokeAll(p => p.Name));
        PluginException error = set.Failures["ServicesPlugin"];
        Assert.Equal(PluginErrorCode.EntryTypeNotCreatable, error.Code);
        Assert.Contains("TestApi.Journal", error.Cause, StringComparison.Ordinal);
        ServiceProviderEntryFactory factory = host.Services.GetRequiredService<PluginRuntime<ILedgerPlugin>>().EntryFactory;
        Assert.Equal(1, factory.LiveScopes); // IdentityPlugin's; the failed plugin's scope was released
        await host.StopAsync();
        Assert.Equal(0, factory.LiveScopes);
    }

    [Fact]
    public async Task Options_are_validated_when_the_host_starts()
    {
        using IHost host = GenericHost.Build(new Dictionary<string, string?> { ["Plugboard:ReloadDebounce"] = "00:05:00" });
        OptionsValidationException error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains(error.Failures, f => f.Contains("PluginFolders is empty", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("ReloadDebounce", StringComparison.Ordinal));
    }

    [Fact]
    public void Options_bind_from_the_Plugboard_section()
    {
        using IHost host = GenericHost.Build(new Dictionary<string, string?>
        {
            ["Plugboard:PluginFolders:0"] = "a",
            ["Plugboard:PluginFolders:1"] = "b",
            ["Plugboard:HotReload"] = "true",
            ["Plugboard:StopTimeout"] = "00:00:03",
            ["Plugboard:Settings:ServicesPlugin:Limit"] = "7",
        });
        PlugboardOptions options = host.Services.GetRequiredService<IOptions<PlugboardOptions>>().Value;
        Assert.Equal(["a", "b"], options.PluginFolders);
        Assert.True(options.HotReload);
        Assert.Equal(TimeSpan.FromSeconds(3), options.StopTimeout);
        Assert.Equal("7", options.Settings["ServicesPlugin"]["Limit"]);
    }
}
