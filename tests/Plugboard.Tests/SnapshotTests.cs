using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.Json.Nodes;
using Plugboard.Trust;

namespace Plugboard.Tests;

/// <summary>
/// One snapshot per plugin load: the bytes hashed against the lock file are the bytes inspected and loaded, later
/// lazy loads come from that snapshot, and no path in deps.json leads the resolver out of the plugin folder.
/// </summary>
public sealed class SnapshotTests
{
    [Fact]
    public void A_deps_json_runtime_target_leading_out_of_the_folder_is_refused_at_discovery_with_PB0107()
    {
        using var plugins = new PluginFolder("IdentityPlugin", "Json13Plugin");
        string outside = Path.Combine(plugins.Root, "..", "outside-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(outside);
        File.Copy(plugins.PathOf("IdentityPlugin", "IdentityPlugin.dll"), Path.Combine(outside, "Helper.dll"));
        PointDepsJsonOutside("Json13Plugin", plugins, "runtimeTargets", $"../../{Path.GetFileName(outside)}/Helper.dll");
        var host = new PluginHost<ILedgerPlugin>();

        PluginCatalog catalog = host.Discover(plugins.Root);

        PluginException problem = catalog.Entries.Single(e => e.Id == "Json13Plugin").Problems.Single();
        Assert.Equal(PluginErrorCode.PathEscapesPluginDirectory, problem.Code);
        Assert.Contains($"Json13Plugin.deps.json names '../../{Path.GetFileName(outside)}/Helper.dll', which leads outside the plugin folder", problem.Message, StringComparison.Ordinal);
        Assert.True(catalog.Entries.Single(e => e.Id == "IdentityPlugin").IsCompatible);
        Directory.Delete(outside, recursive: true);
    }

    [Theory]
    [InlineData("native", "/usr/lib/libevil.so")]
    [InlineData("runtime", "../Helper.dll")]
    [InlineData("resources", "../../de/Json13Plugin.resources.dll")]
    public void Every_asset_group_of_deps_json_is_held_inside_the_folder(string group, string path)
    {
        using var plugins = new PluginFolder("Json13Plugin");
        PointDepsJsonOutside("Json13Plugin", plugins, group, path);

        PluginCatalogEntry entry = new PluginHost<ILedgerPlugin>().Inspect(Path.Combine(plugins.Root, "Json13Plugin"));

        Assert.Equal(PluginErrorCode.PathEscapesPluginDirectory, Assert.Single(entry.Problems).Code);
        Assert.Contains($"names '{path}'", entry.Problems[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Probing_paths_of_the_plugins_runtimeconfig_are_held_inside_the_folder()
    {
        using var plugins = new PluginFolder("IdentityPlugin");
        string config = plugins.PathOf("IdentityPlugin", "IdentityPlugin.runtimeconfig.dev.json");
        File.WriteAllText(config, """{ "runtimeOptions": { "additionalProbingPaths": [ "/tmp/packages" ] } }""");

        PluginCatalogEntry entry = new PluginHost<ILedgerPlugin>().Inspect(Path.Combine(plugins.Root, "IdentityPlugin"));

        Assert.Equal(PluginErrorCode.PathEscapesPluginDirectory, Assert.Single(entry.Problems).Code);
        Assert.Contains("IdentityPlugin.runtimeconfig.dev.json names '/tmp/packages'", entry.Problems[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_private_dependency_swapped_after_load_is_never_read_lazy_loads_come_from_the_snapshot()
    {
        using var plugins = new PluginFolder("Json13Plugin");
        await using var host = new PluginHost<ILedgerPlugin>();
        LoadedPlugin<ILedgerPlugin> plugin = await host.LoadAsync(Assert.Single(host.Discover(plugins.Root).Entries));

        // Newtonsoft.Json has not been needed yet; an attacker replaces it in the folder now.
        File.Copy(Path.Combine(PluginFolder.Built("Json12Plugin"), "Newtonsoft.Json.dll"), plugins.PathOf("Json13Plugin", "Newtonsoft.Json.dll"), overwrite: true);
        string version = plugin.Invoke(p => p.Describe());

        Assert.Equal("13.0.0.0", version);
    }

    [Fact]
    public void The_compatibility_check_reads_dependencies_and_runtimeconfig_from_the_snapshot_never_from_the_folder()
    {
        using var plugins = new PluginFolder("Json13Plugin");
        var host = new PluginHost<ILedgerPlugin>();
        PluginSnapshot snapshot = PluginSnapshot.Take(Path.Combine(plugins.Root, "Json13Plugin"), "Json13Plugin");

        // After the snapshot, the folder changes under the inspection: the private dependency becomes garbage, the
        // runtimeconfig asks for a framework this console host does not run, and a stray assembly appears.
        File.WriteAllBytes(plugins.PathOf("Json13Plugin", "Newtonsoft.Json.dll"), [1, 2, 3, 4]);
        File.WriteAllText(plugins.PathOf("Json13Plugin", "Json13Plugin.runtimeconfig.json"),
            """{ "runtimeOptions": { "frameworks": [ { "name": "Microsoft.NETCore.App", "version": "10.0.0" }, { "name": "Microsoft.AspNetCore.App", "version": "10.0.0" } ] } }""");
        PluginCatalogEntry entry = host.Inspector.Inspect(snapshot);

        Assert.True(entry.IsCompatible, string.Join(Environment.NewLine, entry.Problems.Select(p => p.Message)));
        Assert.Contains(entry.References, r => r.Name == "Newtonsoft.Json" && r.Resolution == AssemblyResolution.Private);
    }

    [Fact]
    public async Task An_entry_loaded_again_after_its_files_changed_is_refused_with_PB0113_so_the_entry_describes_what_runs()
    {
        using var plugins = new PluginFolder("IdentityPlugin");
        await using var host = new PluginHost<ILedgerPlugin>();
        PluginCatalog catalog = host.Discover(plugins.Root);
        // The first load uses discovery's own bytes; loading the entry again must read the folder anew.
        await (await host.LoadAsync(catalog.Entries[0])).UnloadAsync();

        File.Copy(plugins.PathOf("IdentityPlugin", "IdentityPlugin.dll"), plugins.PathOf("IdentityPlugin", "planted.dll"));
        PluginLoadResult<ILedgerPlugin> stale = await host.LoadAllAsync(catalog);
        PluginLoadResult<ILedgerPlugin> fresh = await host.LoadAllAsync(host.Discover(plugins.Root));

        PluginException error = Assert.Single(stale.Failed).Error;
        Assert.Equal(PluginErrorCode.PluginChangedSinceDiscovery, error.Code);
        Assert.Contains("The plugin's files changed since it was discovered", error.Message, StringComparison.Ordinal);
        Assert.Contains("Discover (or inspect) the plugin again", error.Message, StringComparison.Ordinal);
        Assert.Equal("IdentityPlugin", Assert.Single(fresh.Loaded).Id);
    }

    [Fact]
    public async Task Swapping_the_main_assembly_during_1000_loads_with_the_lock_enforced_never_runs_unvetted_bytes()
    {
        using var plugins = new PluginFolder("IdentityPlugin");
        string folder = Path.Combine(plugins.Root, "IdentityPlugin");
        string main = Path.Combine(folder, "IdentityPlugin.dll");
        string lockPath = Path.Combine(plugins.Root, "..", Guid.NewGuid().ToString("N") + ".lock.json");
        PluginLockFile.Create(plugins.Root).Save(lockPath);
        byte[] vetted = File.ReadAllBytes(main);
        byte[] unvetted = File.ReadAllBytes(Path.Combine(PluginFolder.Built("DriftPlugin"), "DriftPlugin.dll"));
        Guid vettedMvid = Mvid(vetted);
        Assert.NotEqual(vettedMvid, Mvid(unvetted));
        await using var host = new PluginHost<ILedgerPlugin>(new PluginHostOptions
        {
            Trust = new PluginTrustPolicy { LockFilePath = lockPath },
            UnloadCollectionAttempts = 1,
        });
        using var stop = new CancellationTokenSource();
        Task swapper = Task.Run(() =>
        {
            string staging = Path.Combine(plugins.Root, ".staging");
            for (long i = 0; !stop.IsCancellationRequested; i++)
            {
                File.WriteAllBytes(staging, i % 2 == 0 ? unvetted : vetted);
                File.Move(staging, main, overwrite: true);
            }
        });

        int loaded = 0, refused = 0, ranUnvetted = 0;
        var untyped = new List<Exception>();
        for (int i = 0; i < 1000; i++)
        {
            try
            {
                PluginCatalogEntry entry = host.Inspect(folder);
                if (!entry.IsCompatible)
                {
                    refused++;
                    continue;
                }
                LoadedPlugin<ILedgerPlugin> plugin = await host.LoadAsync(entry);
                if (plugin.MainAssembly!.ManifestModule.ModuleVersionId != vettedMvid)
                {
                    ranUnvetted++;
                }
                loaded++;
                await plugin.UnloadAsync();
            }
            catch (PluginException)
            {
                refused++;
            }
            catch (Exception ex)
            {
                untyped.Add(ex);
            }
        }
        await stop.CancelAsync();
        await swapper;
        File.Delete(lockPath);

        Assert.Equal(0, ranUnvetted);
        Assert.Empty(untyped);
        Assert.True(loaded > 0 && refused > 0, $"{loaded} loaded, {refused} refused: the swap must race with the loads both ways");
    }

    private static Guid Mvid(byte[] image)
    {
        using var pe = new PEReader(new MemoryStream(image));
        MetadataReader reader = pe.GetMetadataReader();
        return reader.GetGuid(reader.GetModuleDefinition().Mvid);
    }

    /// <summary>Adds an asset path to the plugin's own library entry in its deps.json, as an attacker editing the file would.</summary>
    private static void PointDepsJsonOutside(string plugin, PluginFolder plugins, string group, string path)
    {
        string deps = plugins.PathOf(plugin, plugin + ".deps.json");
        JsonNode root = JsonNode.Parse(File.ReadAllText(deps))!;
        JsonObject target = root["targets"]!.AsObject().First().Value!.AsObject();
        JsonObject library = target.First(l => l.Key.StartsWith(plugin + "/", StringComparison.Ordinal)).Value!.AsObject();
        JsonObject assets = library[group] as JsonObject ?? new JsonObject();
        library[group] = assets;
        assets[path] = group == "runtimeTargets" ? new JsonObject { ["rid"] = "linux-x64", ["assetType"] = "runtime" } : new JsonObject();
        File.WriteAllText(deps, root.ToJsonString());
    }
}
