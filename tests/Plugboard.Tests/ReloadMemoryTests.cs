using System.Runtime.CompilerServices;

namespace Plugboard.Tests;

/// <summary>
/// Hot reload leaves no managed memory behind. The managed heap is process-wide, so this runs alone
/// (<see cref="GlobalMeasurement"/>): beside parallel test classes it would measure their allocations too.
/// </summary>
[Collection(GlobalMeasurement.Name)]
public sealed class ReloadMemoryTests
{
    [Fact]
    public async Task Hundred_reloads_keep_managed_memory_flat()
    {
        using var plugins = new PluginFolder();
        plugins.Add("ReloadablePlugin");
        await using var host = new PluginHost<ILedgerPlugin>(new PluginHostOptions { UnloadCollectionAttempts = 3 });
        LoadedPlugin<ILedgerPlugin> plugin = Assert.Single((await host.LoadAllAsync(host.Discover(plugins.Root))).Loaded);
        long baseline = 0;
        for (int i = 0; i < 100; i++)
        {
            plugins.Overwrite("ReloadablePlugin", i % 2 == 0 ? "ReloadablePluginV2" : "ReloadablePlugin");
            ReloadResult result = await plugin.ReloadAsync();
            Assert.True(result.Succeeded, result.ToString());
            plugin.Invoke(p => p.Create(1m, "x"));
            if (i == 9)
            {
                baseline = SettledHeap();
            }
        }
        long growth = SettledHeap() - baseline;

        Assert.True(growth < 4 * 1024 * 1024, $"managed heap grew {growth / 1024} KiB over 90 reloads");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long SettledHeap()
    {
        for (int i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
