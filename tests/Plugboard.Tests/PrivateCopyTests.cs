using System.Diagnostics;
using Plugboard.Loading;

namespace Plugboard.Tests;

/// <summary>The private copies of vetted bytes never pile up: a host that crashed leaves its copies to the next host.</summary>
public sealed class PrivateCopyTests
{
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Copies_left_by_a_host_that_is_gone_are_removed_and_a_running_hosts_copies_are_kept()
    {
        using var gone = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        await gone.WaitForExitAsync();
        using var alive = Process.Start(new ProcessStartInfo("sleep", "30") { UseShellExecute = false })!;
        string crashed = Directory.CreateTempSubdirectory($"plugboard-{gone.Id}-").FullName;
        File.WriteAllText(Path.Combine(crashed, "Plugin.dll"), "left by a host killed with SIGKILL");
        string running = Directory.CreateTempSubdirectory($"plugboard-{alive.Id}-").FullName;
        string unrelated = Directory.CreateTempSubdirectory("plugboard-notes-").FullName;

        int removed = PrivateCopy.RemoveAbandoned();
        alive.Kill();

        Assert.False(Directory.Exists(crashed), "the copy of a host that is gone stays in the temporary folder");
        Assert.True(Directory.Exists(running), "a running host's private copy was deleted under it");
        Assert.True(Directory.Exists(unrelated), "a folder that is not a private copy was deleted");
        Assert.True(removed >= 1);
        Directory.Delete(running, recursive: true);
        Directory.Delete(unrelated, recursive: true);
    }

    [Fact]
    public void A_private_copy_is_named_for_the_host_process_that_owns_it()
    {
        using var plugins = new PluginFolder("IdentityPlugin");
        PluginSnapshot snapshot = PluginSnapshot.Take(Path.Combine(plugins.Root, "IdentityPlugin"), "IdentityPlugin");

        string folder = PrivateCopy.Write(snapshot, "IdentityPlugin");
        try
        {
            Assert.StartsWith($"plugboard-{Environment.ProcessId}-", Path.GetFileName(folder), StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(folder, "IdentityPlugin.dll")));
        }
        finally
        {
            PrivateCopy.Delete(folder);
        }
    }
}
