using Plugboard.Trust;

namespace Plugboard.Tests;

/// <summary>Only the plugins you trust: a lock file of vetted files, allowed folders and strict permissions.</summary>
public sealed class TrustTests
{
    [Fact]
    public async Task A_tampered_plugin_is_refused_and_the_vetted_ones_load()
    {
        using var plugins = new PluginFolder("IdentityPlugin", "Json13Plugin");
        string lockPath = Path.Combine(plugins.Root, "..", Path.GetFileName(plugins.Root) + ".lock.json");
        PluginLockFile.Create(plugins.Root).Save(lockPath);
        string dll = plugins.PathOf("Json13Plugin", "Json13Plugin.dll");
        byte[] bytes = File.ReadAllBytes(dll);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(dll, bytes);
        await using var host = new PluginHost<ILedgerPlugin>(new PluginHostOptions { Trust = new PluginTrustPolicy { LockFilePath = lockPath } });

        PluginLoadResult<ILedgerPlugin> result = await host.LoadAllAsync(host.Discover(plugins.Root));

        PluginFailure failure = Assert.Single(result.Failed);
        Assert.Equal(PluginErrorCode.IntegrityCheckFailed, failure.Error.Code);
        Assert.Contains("The file 'Json13Plugin.dll' changed since the plugin was vetted", failure.Error.Message, StringComparison.Ordinal);
        Assert.Contains("update the lock with 'plugboard lock'", failure.Error.Message, StringComparison.Ordinal);
        Assert.Equal("IdentityPlugin", Assert.Single(result.Loaded).Id);
        File.Delete(lockPath);
    }

    [Fact]
    public void Added_missing_and_unlisted_files_are_each_named()
    {
        using var plugins = new PluginFolder("IdentityPlugin");
        PluginLockFile locked = PluginLockFile.Create(plugins.Root);
        File.WriteAllText(plugins.PathOf("IdentityPlugin", "planted.dll"), "x");
        File.Delete(plugins.PathOf("IdentityPlugin", "IdentityPlugin.pdb"));
        plugins.Add("Json13Plugin");

        IReadOnlyList<PluginException> identity = locked.Verify(Path.Combine(plugins.Root, "IdentityPlugin"), "IdentityPlugin");
        IReadOnlyList<PluginException> unlisted = locked.Verify(Path.Combine(plugins.Root, "Json13Plugin"), "Json13Plugin");

        Assert.Contains(identity, p => p.Cause == "The file 'planted.dll' is not in the lock file: it was added after the plugin was vetted.");
        Assert.Contains(identity, p => p.Cause == "The file 'IdentityPlugin.pdb' is in the lock file but missing from the plugin folder.");
        Assert.Equal("The lock file does not list the plugin folder 'Json13Plugin', so it was never vetted.", Assert.Single(unlisted).Cause);
    }

    [Fact]
    public void A_lock_file_survives_a_round_trip_and_a_corrupt_one_is_a_typed_error()
    {
        using var plugins = new PluginFolder("IdentityPlugin");
        string path = Path.Combine(plugins.Root, "..", Guid.NewGuid().ToString("N") + ".json");
        PluginLockFile.Create(plugins.Root).Save(path);

        PluginLockFile loaded = PluginLockFile.Load(path);
        Assert.Empty(loaded.Verify(Path.Combine(plugins.Root, "IdentityPlugin"), "IdentityPlugin"));
        File.WriteAllText(path, "{ \"format\": 7 }");
        PluginException error = Assert.Throws<PluginException>(() => PluginLockFile.Load(path));
        Assert.Equal(PluginErrorCode.IntegrityCheckFailed, error.Code);
        Assert.Contains("The lock file cannot be read: 'format' must be 1", error.Message, StringComparison.Ordinal);
        File.Delete(path);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Folders_outside_the_allowlist_and_world_writable_files_are_refused_in_strict_mode()
    {
        using var plugins = new PluginFolder("IdentityPlugin");
        string dll = plugins.PathOf("IdentityPlugin", "IdentityPlugin.dll");
        File.SetUnixFileMode(dll, File.GetUnixFileMode(dll) | UnixFileMode.OtherWrite);
        var strict = new PluginHost<ILedgerPlugin>(new PluginHostOptions { Trust = new PluginTrustPolicy { Strict = true } });
        var elsewhere = new PluginTrustPolicy();
        elsewhere.AllowedDirectories.Add("/opt/approved-plugins");
        var allowlisted = new PluginHost<ILedgerPlugin>(new PluginHostOptions { Trust = elsewhere });

        PluginException writable = Assert.Single(strict.Discover(plugins.Root).Entries).Problems.Single();
        PluginException outside = Assert.Single(allowlisted.Discover(plugins.Root).Entries).Problems.Single();

        Assert.Equal(PluginErrorCode.UntrustedLocation, writable.Code);
        Assert.Contains("can be written by users other than its owner", writable.Message, StringComparison.Ordinal);
        Assert.Contains("chmod go-w", writable.Message, StringComparison.Ordinal);
        Assert.Equal(PluginErrorCode.UntrustedLocation, outside.Code);
        Assert.Contains("The plugin folder is not under an allowed folder (/opt/approved-plugins).", outside.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_changed_between_discovery_and_load_is_never_read_the_vetted_snapshot_loads_and_the_next_check_refuses_it()
    {
        using var plugins = new PluginFolder("IdentityPlugin");
        string lockPath = Path.Combine(plugins.Root, "..", Guid.NewGuid().ToString("N") + ".lock.json");
        PluginLockFile.Create(plugins.Root).Save(lockPath);
        await using var host = new PluginHost<ILedgerPlugin>(new PluginHostOptions { Trust = new PluginTrustPolicy { LockFilePath = lockPath } });
        PluginCatalog catalog = host.Discover(plugins.Root);
        Assert.True(catalog.Entries[0].IsCompatible, catalog.Entries[0].Verdict);
        byte[] vetted = File.ReadAllBytes(plugins.PathOf("IdentityPlugin", "IdentityPlugin.dll"));

        File.Copy(Path.Combine(PluginFolder.Built("DriftPlugin"), "DriftPlugin.dll"), plugins.PathOf("IdentityPlugin", "IdentityPlugin.dll"), overwrite: true);
        PluginLoadResult<ILedgerPlugin> result = await host.LoadAllAsync(catalog);
        PluginCatalogEntry again = host.Inspect(Path.Combine(plugins.Root, "IdentityPlugin"));

        // Discovery's bytes, hashed against the lock, are the ones loaded: the swapped file is never read.
        LoadedPlugin<ILedgerPlugin> loaded = Assert.Single(result.Loaded);
        Assert.Equal(Mvid(vetted), loaded.MainAssembly!.ManifestModule.ModuleVersionId);
        Assert.Equal(PluginErrorCode.IntegrityCheckFailed, Assert.Single(again.Problems).Code);
        File.Delete(lockPath);
    }

    private static Guid Mvid(byte[] image)
    {
        using var pe = new System.Reflection.PortableExecutable.PEReader(new MemoryStream(image));
        System.Reflection.Metadata.MetadataReader reader = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(pe);
        return reader.GetGuid(reader.GetModuleDefinition().Mvid);
    }
}
