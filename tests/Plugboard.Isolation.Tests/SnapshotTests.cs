using Plugboard.Trust;

namespace Plugboard.Isolation.Tests;

/// <summary>
/// An out-of-process plugin runs the bytes the host read, hashed and inspected: its worker is handed those bytes and
/// never reads the plugin's folder itself, neither when it starts nor when it is restarted after a crash.
/// </summary>
public sealed class SnapshotTests
{
    [Fact]
    public async Task A_worker_loads_the_bytes_the_host_inspected_even_when_the_folder_is_emptied_after_inspection_and_after_a_restart()
    {
        await using var host = new IsolatedHost(["CrashingPlugin"], []);
        string folder = Path.Combine(host.Root, "CrashingPlugin");
        PluginCatalogEntry entry = host.Host.Inspect(folder);
        Assert.True(entry.IsCompatible, string.Join("; ", entry.Problems.Select(p => p.Message)));

        // Whatever the folder holds after inspection is not what runs: here it holds nothing at all.
        Directory.Delete(folder, recursive: true);
        Directory.CreateDirectory(folder);

        LoadedPlugin<IProbe> plugin = await host.Host.LoadAsync(entry);
        int worker = plugin.Invoke(p => p.ProcessId());
        Assert.NotEqual(Environment.ProcessId, worker);
        Assert.Equal("echo: from the host's bytes", plugin.Invoke(p => p.Echo("from the host's bytes")));

        // A restarted worker gets the same bytes again.
        await Assert.ThrowsAsync<PluginException>(() => Task.Run(() => plugin.Invoke(p => p.Crash(CrashKind.Exit42))).WaitAsync(TimeSpan.FromSeconds(60)));
        int restarted = plugin.Invoke(p => p.ProcessId());
        Assert.NotEqual(worker, restarted);
        Assert.Equal("echo: after the restart", plugin.Invoke(p => p.Echo("after the restart")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder));
    }

    [Fact]
    public async Task With_a_lock_file_a_worker_runs_the_vetted_bytes_when_the_main_assembly_is_swapped_after_the_check()
    {
        string lockFile = Path.Combine(Path.GetTempPath(), $"plugboard-isolated-lock-{Guid.NewGuid():N}.json");
        try
        {
            await using var host = new IsolatedHost(["CrashingPlugin"], ["SteadyPlugin"], options => options.Trust = new PluginTrustPolicy { LockFilePath = lockFile });
            PluginLockFile.Create(host.Root).Save(lockFile);
            string folder = Path.Combine(host.Root, "CrashingPlugin");
            PluginCatalogEntry entry = host.Host.Inspect(folder);
            Assert.True(entry.IsCompatible, string.Join("; ", entry.Problems.Select(p => p.Message)));

            // An attacker swaps the main assembly for unvetted bytes once the host has checked it.
            File.Copy(Path.Combine(host.Root, "SteadyPlugin", "SteadyPlugin.dll"), Path.Combine(folder, "CrashingPlugin.dll"), overwrite: true);

            LoadedPlugin<IProbe> plugin = await host.Host.LoadAsync(entry);
            Assert.Equal("echo: vetted", plugin.Invoke(p => p.Echo("vetted")));
        }
        finally
        {
            File.Delete(lockFile);
        }
    }
}
