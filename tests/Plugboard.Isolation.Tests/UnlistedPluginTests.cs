using Plugboard.Trust;

namespace Plugboard.Isolation.Tests;

/// <summary>
/// A host with a lock file may run the plugins it never vetted out of process instead of refusing them
/// (<see cref="PluginTrustPolicy.IsolateUnlistedPlugins"/>): a plugin the lock file does not list runs in a worker
/// whatever the host's isolation lists say, a listed plugin keeps the isolation the host chose, and a listed plugin
/// whose files changed is still refused.
/// </summary>
public sealed class UnlistedPluginTests
{
    [Fact]
    public async Task A_plugin_the_lock_file_does_not_list_runs_out_of_process_even_when_the_host_lists_it_in_process()
    {
        string lockFile = Path.Combine(Path.GetTempPath(), $"plugboard-unlisted-lock-{Guid.NewGuid():N}.json");
        try
        {
            await using var host = new IsolatedHost([], ["CrashingPlugin", "SteadyPlugin"], options =>
            {
                options.Trust = new PluginTrustPolicy { LockFilePath = lockFile, IsolateUnlistedPlugins = true };
                options.Isolation.InProcessPlugins.Add("CrashingPlugin");
            });
            LockAllBut(host.Root, "CrashingPlugin", lockFile);

            PluginCatalogEntry unlisted = host.Host.Inspect(Path.Combine(host.Root, "CrashingPlugin"));
            PluginCatalogEntry listed = host.Host.Inspect(Path.Combine(host.Root, "SteadyPlugin"));
            Assert.True(unlisted.IsCompatible, string.Join("; ", unlisted.Problems.Select(p => p.Message)));
            Assert.Equal(PluginIsolation.OutOfProcess, unlisted.RequiredIsolation);
            Assert.Null(listed.RequiredIsolation);

            LoadedPlugin<IProbe> isolated = await host.Host.LoadAsync(unlisted);
            LoadedPlugin<IProbe> inProcess = await host.Host.LoadAsync(listed);

            Assert.Equal(PluginIsolation.OutOfProcess, isolated.Isolation);
            Assert.NotEqual(Environment.ProcessId, isolated.Invoke(p => p.ProcessId()));
            Assert.Equal("echo: unvetted", isolated.Invoke(p => p.Echo("unvetted")));
            Assert.Equal(PluginIsolation.InProcess, inProcess.Isolation);
            Assert.Equal(Environment.ProcessId, inProcess.Invoke(p => p.ProcessId()));
        }
        finally
        {
            File.Delete(lockFile);
        }
    }

    [Fact]
    public async Task A_listed_plugin_whose_files_changed_is_refused_and_without_the_setting_an_unlisted_one_is_too()
    {
        string lockFile = Path.Combine(Path.GetTempPath(), $"plugboard-unlisted-lock-{Guid.NewGuid():N}.json");
        try
        {
            await using var isolating = new IsolatedHost([], ["CrashingPlugin", "SteadyPlugin"], options =>
                options.Trust = new PluginTrustPolicy { LockFilePath = lockFile, IsolateUnlistedPlugins = true });
            LockAllBut(isolating.Root, "CrashingPlugin", lockFile);
            File.AppendAllText(Path.Combine(isolating.Root, "SteadyPlugin", "planted.txt"), "not vetted");

            PluginCatalogEntry tampered = isolating.Host.Inspect(Path.Combine(isolating.Root, "SteadyPlugin"));
            PluginException refused = Assert.Single(tampered.Problems);
            Assert.Equal(PluginErrorCode.IntegrityCheckFailed, refused.Code);
            Assert.Contains("planted.txt", refused.Message, StringComparison.Ordinal);

            await using var refusing = new IsolatedHost([], ["CrashingPlugin"], options =>
                options.Trust = new PluginTrustPolicy { LockFilePath = lockFile });
            PluginCatalogEntry unlisted = refusing.Host.Inspect(Path.Combine(refusing.Root, "CrashingPlugin"));
            PluginException notVetted = Assert.Single(unlisted.Problems);
            Assert.Equal(PluginErrorCode.IntegrityCheckFailed, notVetted.Code);
            Assert.Contains("IsolateUnlistedPlugins", notVetted.Fix, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(lockFile);
        }
    }

    /// <summary>Vets every plugin folder of <paramref name="root"/> except <paramref name="unlisted"/>.</summary>
    internal static void LockAllBut(string root, string unlisted, string lockFile)
    {
        string aside = Path.Combine(Path.GetDirectoryName(root)!, $"plugboard-aside-{Guid.NewGuid():N}");
        Directory.Move(Path.Combine(root, unlisted), aside);
        try
        {
            PluginLockFile.Create(root).Save(lockFile);
        }
        finally
        {
            Directory.Move(aside, Path.Combine(root, unlisted));
        }
    }
}
