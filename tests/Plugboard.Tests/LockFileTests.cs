using Plugboard.Trust;

namespace Plugboard.Tests;

/// <summary>A lock file that cannot be torn, that a host re-reads when it changes, and whose read failures are never remembered.</summary>
// The in-place writer test finishes its write 20 ms after the read starts and the reader waits up to 150 ms: a
// wall-clock window, so the class runs where nothing else runs beside it (tests/README.md).
[Collection(GlobalMeasurement.Name)]
public sealed class LockFileTests
{
    [Fact]
    public async Task Readers_racing_a_writer_never_see_a_torn_lock_file()
    {
        using var plugins = new PluginFolder("IdentityPlugin", "Json13Plugin", "DriftPlugin");
        string path = Path.Combine(plugins.Root, "..", Guid.NewGuid().ToString("N") + ".lock.json");
        PluginLockFile small = PluginLockFile.Create(plugins.Root);
        plugins.Add("IdentityPlugin", "Copy1");
        plugins.Add("Json13Plugin", "Copy2");
        PluginLockFile large = PluginLockFile.Create(plugins.Root);
        small.Save(path);
        using var stop = new CancellationTokenSource();
        Task writer = Task.Run(() =>
        {
            for (int i = 0; !stop.IsCancellationRequested; i++)
            {
                (i % 2 == 0 ? large : small).Save(path);
            }
        });

        var torn = new List<string>();
        var sizes = new HashSet<int>();
        for (int i = 0; i < 500; i++)
        {
            try
            {
                sizes.Add(PluginLockFile.Load(path).Plugins.Count);
            }
            catch (PluginException ex)
            {
                torn.Add(ex.Message);
            }
        }
        await stop.CancelAsync();
        await writer;
        File.Delete(path);

        Assert.Empty(torn);
        Assert.Subset(new HashSet<int> { 3, 5 }, sizes);
    }

    [Fact]
    public async Task A_lock_file_a_writer_is_still_writing_in_place_is_read_once_it_is_whole()
    {
        using var plugins = new PluginFolder("IdentityPlugin");
        string path = Path.Combine(plugins.Root, "..", Guid.NewGuid().ToString("N") + ".lock.json");
        PluginLockFile.Create(plugins.Root).Save(path);
        string whole = File.ReadAllText(path);
        // An editor or a script that writes in place, not by rename: a reader may catch the first half.
        File.WriteAllText(path, whole[..(whole.Length / 2)]);
        Task finish = Task.Run(async () =>
        {
            await Task.Delay(20);
            File.WriteAllText(path, whole);
        });

        PluginLockFile read = PluginLockFile.Load(path);
        await finish;
        File.Delete(path);

        Assert.Equal("IdentityPlugin", Assert.Single(read.Plugins.Keys));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void A_temporary_file_left_by_a_killed_writer_is_removed_by_the_next_write_and_a_live_writers_is_kept()
    {
        using var plugins = new PluginFolder("IdentityPlugin");
        string name = Guid.NewGuid().ToString("N") + ".lock.json";
        string path = Path.GetFullPath(Path.Combine(plugins.Root, "..", name));
        string folder = Path.GetDirectoryName(path)!;
        using var gone = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("true") { UseShellExecute = false })!;
        gone.WaitForExit();
        using var alive = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("sleep", "30") { UseShellExecute = false })!;
        string killed = Path.Combine(folder, $".{name}.{gone.Id}.{Guid.NewGuid():N}.tmp");
        string writing = Path.Combine(folder, $".{name}.{alive.Id}.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(killed, "{ \"format\": 1, \"plu");
        File.WriteAllText(writing, "{ \"format\": 1, \"plu");

        PluginLockFile.Create(plugins.Root).Save(path);
        alive.Kill();

        Assert.False(File.Exists(killed), "the dead writer's temporary file stays beside the lock file");
        Assert.True(File.Exists(writing), "a live writer's temporary file was deleted under it");
        Assert.Empty(Directory.GetFiles(folder, $".{name}.{Environment.ProcessId}.*"));
        File.Delete(writing);
        File.Delete(path);
    }

    [Fact]
    public async Task A_host_rereads_a_regenerated_lock_file_so_a_revetted_version_loads()
    {
        using var plugins = new PluginFolder("IdentityPlugin");
        string lockPath = Path.Combine(plugins.Root, "..", Guid.NewGuid().ToString("N") + ".lock.json");
        PluginLockFile.Create(plugins.Root).Save(lockPath);
        await using var host = new PluginHost<ILedgerPlugin>(new PluginHostOptions { Trust = new PluginTrustPolicy { LockFilePath = lockPath } });
        Assert.True(host.Discover(plugins.Root).Entries[0].IsCompatible);

        File.WriteAllText(plugins.PathOf("IdentityPlugin", "notes.txt"), "new version");
        PluginCatalogEntry before = host.Discover(plugins.Root).Entries[0];
        PluginLockFile.Create(plugins.Root).Save(lockPath);
        PluginLoadResult<ILedgerPlugin> after = await host.LoadAllAsync(host.Discover(plugins.Root));

        Assert.Equal(PluginErrorCode.IntegrityCheckFailed, Assert.Single(before.Problems).Code);
        Assert.Equal("IdentityPlugin", Assert.Single(after.Loaded).Id);
        File.Delete(lockPath);
    }

    [Fact]
    public async Task A_failed_lock_read_is_not_remembered_the_next_check_reads_again()
    {
        using var plugins = new PluginFolder("IdentityPlugin");
        string lockPath = Path.Combine(plugins.Root, "..", Guid.NewGuid().ToString("N") + ".lock.json");
        File.WriteAllText(lockPath, "{ \"format\": 1, \"plug");
        await using var host = new PluginHost<ILedgerPlugin>(new PluginHostOptions { Trust = new PluginTrustPolicy { LockFilePath = lockPath } });

        PluginException torn = Assert.Single(host.Discover(plugins.Root).Entries[0].Problems);
        PluginLockFile.Create(plugins.Root).Save(lockPath);
        PluginLoadResult<ILedgerPlugin> result = await host.LoadAllAsync(host.Discover(plugins.Root));

        Assert.Equal(PluginErrorCode.IntegrityCheckFailed, torn.Code);
        Assert.Contains("The lock file cannot be read", torn.Message, StringComparison.Ordinal);
        Assert.Equal("IdentityPlugin", Assert.Single(result.Loaded).Id);
        File.Delete(lockPath);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void A_lock_file_others_can_write_is_refused_with_PB0605_even_without_strict_mode()
    {
        using var plugins = new PluginFolder("IdentityPlugin");
        string lockPath = Path.Combine(plugins.Root, "..", Guid.NewGuid().ToString("N") + ".lock.json");
        PluginLockFile.Create(plugins.Root).Save(lockPath);
        File.SetUnixFileMode(lockPath, File.GetUnixFileMode(lockPath) | UnixFileMode.OtherWrite);
        var host = new PluginHost<ILedgerPlugin>(new PluginHostOptions { Trust = new PluginTrustPolicy { LockFilePath = lockPath } });

        PluginException problem = Assert.Single(host.Discover(plugins.Root).Entries[0].Problems);

        Assert.Equal(PluginErrorCode.UntrustedLockFile, problem.Code);
        Assert.Contains("The lock file can be written by users other than its owner (mode 646)", problem.Message, StringComparison.Ordinal);
        File.Delete(lockPath);
    }
}
