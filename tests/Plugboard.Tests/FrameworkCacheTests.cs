using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Plugboard.Tests;

/// <summary>Tests that observe the process-wide caches of the framework run alone: another test's unload could clear them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideCaches
{
    /// <summary>The collection's name.</summary>
    public const string Name = "process-wide framework caches";
}

/// <summary>
/// The framework's type caches are the host's too: an unload empties them only when a plugin is still alive after
/// the collections a freed context needs, never for a plugin that left nothing behind.
/// </summary>
[Collection(ProcessWideCaches.Name)]
public sealed class FrameworkCacheTests
{
    /// <summary>A host type serialized with the default options.</summary>
    public sealed record HostRecord(int Value);

    [Fact]
    public async Task Unloading_a_plugin_that_left_nothing_behind_keeps_the_hosts_serializer_caches()
    {
        using var plugins = new PluginFolder("IdentityPlugin");
        await using var host = new PluginHost<ILedgerPlugin>();
        JsonTypeInfo before = JsonSerializerOptions.Default.GetTypeInfo(typeof(HostRecord));

        LoadedPlugin<ILedgerPlugin> plugin = await host.LoadAsync(host.Discover(plugins.Root).Entries[0]);
        UnloadReport report = await plugin.UnloadAsync();

        Assert.True(report.Collected, report.ToString());
        Assert.Same(before, JsonSerializerOptions.Default.GetTypeInfo(typeof(HostRecord)));
    }
}
