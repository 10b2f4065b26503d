using System.Runtime.Versioning;
using Plugboard.Trust;

namespace Plugboard.Tests;

/// <summary>
/// Strict mode stops another local user: files and folders must belong to the host's user or root, no folder from
/// the allowed root down may be writable by others, the lock file neither; allowlists compare real paths. The tests
/// run as root, so they can hand files to user 65534 (nobody).
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class StrictModeTests
{
    private const int Nobody = 65534;

    [Fact]
    public void A_plugin_folder_owned_by_another_user_is_refused_with_PB0603()
    {
        using var plugins = new PluginFolder("IdentityPlugin", "Json13Plugin");
        Chown(Path.Combine(plugins.Root, "Json13Plugin"), Nobody);
        var host = new PluginHost<ILedgerPlugin>(new PluginHostOptions { Trust = StrictUnder(plugins.Root) });

        PluginCatalog catalog = host.Discover(plugins.Root);

        PluginException problem = Assert.Single(catalog.Entries.Single(e => e.Directory.EndsWith("Json13Plugin", StringComparison.Ordinal)).Problems);
        Assert.Equal(PluginErrorCode.UntrustedOwner, problem.Code);
        Assert.Contains($"belongs to user {Nobody}, not to the host's user", problem.Message, StringComparison.Ordinal);
        Assert.True(catalog.Entries.Single(e => e.Id == "IdentityPlugin").IsCompatible);
    }

    [Fact]
    public void A_file_owned_by_another_user_is_refused_too()
    {
        using var plugins = new PluginFolder("IdentityPlugin");
        Chown(plugins.PathOf("IdentityPlugin", "IdentityPlugin.dll"), Nobody);
        var host = new PluginHost<ILedgerPlugin>(new PluginHostOptions { Trust = new PluginTrustPolicy { Strict = true } });

        PluginException problem = Assert.Single(Assert.Single(host.Discover(plugins.Root).Entries).Problems);

        Assert.Equal(PluginErrorCode.UntrustedOwner, problem.Code);
        Assert.Equal(plugins.PathOf("IdentityPlugin", "IdentityPlugin.dll"), problem.PluginPath);
    }

    [Fact]
    public void A_world_writable_plugins_root_is_refused_with_PB0604_because_others_could_swap_the_plugin_folder()
    {
        using var plugins = new PluginFolder("IdentityPlugin");
        File.SetUnixFileMode(plugins.Root, File.GetUnixFileMode(plugins.Root) | UnixFileMode.OtherWrite);
        var host = new PluginHost<ILedgerPlugin>(new PluginHostOptions { Trust = StrictUnder(plugins.Root) });

        PluginException problem = Assert.Single(Assert.Single(host.Discover(plugins.Root).Entries).Problems);

        Assert.Equal(PluginErrorCode.UntrustedParentFolder, problem.Code);
        Assert.Contains($"The folder '{plugins.Root}' above the plugin folder can be written by users other than its owner (mode 757)", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_between_the_allowed_root_and_the_plugin_is_checked_as_well()
    {
        using var plugins = new PluginFolder();
        string group = Path.Combine(plugins.Root, "group");
        Directory.CreateDirectory(group);
        PluginFolder.CopyDirectory(PluginFolder.Built("IdentityPlugin"), Path.Combine(group, "IdentityPlugin"));
        Chown(group, Nobody);
        var host = new PluginHost<ILedgerPlugin>(new PluginHostOptions { Trust = StrictUnder(plugins.Root) });

        PluginException problem = Assert.Single(Assert.Single(host.Discover(group).Entries).Problems);

        Assert.Equal(PluginErrorCode.UntrustedParentFolder, problem.Code);
        Assert.Contains($"belongs to user {Nobody}", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_lock_file_owned_by_another_user_is_refused_in_strict_mode_with_PB0605()
    {
        using var plugins = new PluginFolder("IdentityPlugin");
        string lockPath = Path.Combine(plugins.Root, "..", Guid.NewGuid().ToString("N") + ".lock.json");
        PluginLockFile.Create(plugins.Root).Save(lockPath);
        Chown(lockPath, Nobody);
        var policy = new PluginTrustPolicy { Strict = true, LockFilePath = lockPath };
        var host = new PluginHost<ILedgerPlugin>(new PluginHostOptions { Trust = policy });
        var lenient = new PluginHost<ILedgerPlugin>(new PluginHostOptions { Trust = new PluginTrustPolicy { LockFilePath = lockPath } });

        PluginException problem = Assert.Single(Assert.Single(host.Discover(plugins.Root).Entries).Problems);

        Assert.Equal(PluginErrorCode.UntrustedLockFile, problem.Code);
        Assert.Contains($"The lock file belongs to user {Nobody}", problem.Message, StringComparison.Ordinal);
        Assert.True(Assert.Single(lenient.Discover(plugins.Root).Entries).IsCompatible);
        File.Delete(lockPath);
    }

    [Fact]
    public void A_symlinked_plugin_folder_leading_out_of_the_allowed_folder_is_refused_even_without_strict_mode()
    {
        using var allowed = new PluginFolder();
        using var elsewhere = new PluginFolder("IdentityPlugin");
        Directory.CreateSymbolicLink(Path.Combine(allowed.Root, "IdentityPlugin"), Path.Combine(elsewhere.Root, "IdentityPlugin"));
        var policy = new PluginTrustPolicy();
        policy.AllowedDirectories.Add(allowed.Root);
        var host = new PluginHost<ILedgerPlugin>(new PluginHostOptions { Trust = policy });

        PluginException problem = Assert.Single(Assert.Single(host.Discover(allowed.Root).Entries).Problems);

        Assert.Equal(PluginErrorCode.UntrustedLocation, problem.Code);
        Assert.Contains($"Its real path is '{Path.Combine(elsewhere.Root, "IdentityPlugin")}': a symbolic link leads there.", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_vetted_plugin_owned_by_the_host_user_loads_in_strict_mode_with_an_allowlist_and_a_lock()
    {
        using var plugins = new PluginFolder("IdentityPlugin", "Json13Plugin");
        string lockPath = Path.Combine(plugins.Root, "..", Guid.NewGuid().ToString("N") + ".lock.json");
        PluginLockFile.Create(plugins.Root).Save(lockPath);
        PluginTrustPolicy policy = StrictUnder(plugins.Root);
        policy.LockFilePath = lockPath;
        await using var host = new PluginHost<ILedgerPlugin>(new PluginHostOptions { Trust = policy });

        PluginLoadResult<ILedgerPlugin> result = await host.LoadAllAsync(host.Discover(plugins.Root));

        Assert.Empty(result.Failed);
        Assert.Equal(2, result.Loaded.Count);
        File.Delete(lockPath);
    }

    private static PluginTrustPolicy StrictUnder(string root)
    {
        var policy = new PluginTrustPolicy { Strict = true };
        policy.AllowedDirectories.Add(root);
        return policy;
    }

    private static void Chown(string path, int uid)
    {
        using var chown = System.Diagnostics.Process.Start("chown", ["-h", uid.ToString(System.Globalization.CultureInfo.InvariantCulture), path])!;
        Assert.True(chown.WaitForExit(10_000));
        Assert.Equal(0, chown.ExitCode);
    }
}
