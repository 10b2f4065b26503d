using System.Runtime.CompilerServices;
using Plugboard.Diagnostics;

namespace Plugboard.Tests;

/// <summary>
/// Loads one entry type of the leak corpus (tests/Plugins/LeakCorpusPlugin) as a plugin of its own, uses it, unloads it
/// with the deep diagnosis on, and hands back the report.
/// </summary>
internal static class LeakCorpus
{
    /// <summary>What the host keeps of a plugin on purpose (the "entry instance the host still holds" case).</summary>
    public static ILedgerPlugin? KeptByHost { get; set; }

    public static PluginHostOptions Options(bool deep = true) => new()
    {
        UnloadCollectionAttempts = 6,
        UnloadDiagnosis = deep ? new HeapRootDiagnosis() : null,
    };

    public static async Task<UnloadReport> LoadUseAndUnloadAsync(string entryType, PluginHostOptions options, bool keepInstance = false)
    {
        using var plugins = new PluginFolder();
        string id = "leak-" + entryType;
        string folder = plugins.Add("LeakCorpusPlugin", id);
        File.WriteAllText(Path.Combine(folder, "plugin.json"),
            $$"""{ "id": "{{id}}", "version": "1.0.0", "assembly": "LeakCorpusPlugin.dll", "entryTypes": ["LeakCorpusPlugin.{{entryType}}"] }""");
        var host = new PluginHost<ILedgerPlugin>(options);
        LoadedPlugin<ILedgerPlugin> plugin = await LoadAndUse(host, plugins.Root, keepInstance);
        return await plugin.UnloadAsync();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<LoadedPlugin<ILedgerPlugin>> LoadAndUse(PluginHost<ILedgerPlugin> host, string root, bool keepInstance)
    {
        PluginLoadResult<ILedgerPlugin> result = await host.LoadAllAsync(host.Discover(root));
        Assert.Empty(result.Failed);
        LoadedPlugin<ILedgerPlugin> plugin = Assert.Single(result.Loaded);
        plugin.Invoke(p => p.Apply(new Ledger()));
        if (keepInstance)
        {
            KeptByHost = plugin.Instances[0];
        }
        return plugin;
    }
}
