using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.Versioning;
using Plugboard.Trust;

namespace Plugboard.Tests;

/// <summary>
/// Discovery never hangs or throws for one plugin's files: named pipes, devices and sockets are refused without
/// being opened, sizes are capped, a locked file is a typed error for that plugin only. Every case runs under a
/// watchdog, so a regression fails the test instead of hanging the run.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class SpecialFileTests
{
    private static readonly TimeSpan Watchdog = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_fifo_in_a_vetted_folder_is_refused_with_PB0108_and_the_other_plugins_are_found()
    {
        using var plugins = new PluginFolder("IdentityPlugin", "Json13Plugin");
        MakeFifo(plugins.PathOf("Json13Plugin", "pipe"));

        PluginCatalog catalog = await Bounded(() => new PluginHost<ILedgerPlugin>().Discover(plugins.Root));

        PluginException problem = Assert.Single(catalog.Entries.Single(e => e.Directory.EndsWith("Json13Plugin", StringComparison.Ordinal)).Problems);
        Assert.Equal(PluginErrorCode.SpecialFileInPluginFolder, problem.Code);
        Assert.Contains("It is a named pipe (FIFO), not a regular file; Plugboard does not open it", problem.Message, StringComparison.Ordinal);
        Assert.True(catalog.Entries.Single(e => e.Id == "IdentityPlugin").IsCompatible);
    }

    [Fact]
    public async Task A_manifest_that_is_a_fifo_or_a_socket_is_refused_without_opening_it()
    {
        using var plugins = new PluginFolder("IdentityPlugin", "Json13Plugin");
        MakeFifo(plugins.PathOf("IdentityPlugin", "plugin.json"));
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(plugins.PathOf("Json13Plugin", "plugin.json")));

        PluginCatalog catalog = await Bounded(() => new PluginHost<ILedgerPlugin>().Discover(plugins.Root));

        Assert.All(catalog.Entries, e => Assert.Equal(PluginErrorCode.SpecialFileInPluginFolder, Assert.Single(e.Problems).Code));
        Assert.Contains(catalog.Entries, e => e.Problems[0].Cause.StartsWith("It is a socket", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_link_to_dev_zero_is_refused_as_leaving_the_folder_not_read_forever()
    {
        using var plugins = new PluginFolder("IdentityPlugin", "Json13Plugin");
        File.CreateSymbolicLink(plugins.PathOf("IdentityPlugin", "plugin.json"), "/dev/zero");
        File.CreateSymbolicLink(plugins.PathOf("Json13Plugin", "data.bin"), "/dev/zero");

        PluginCatalog catalog = await Bounded(() => new PluginHost<ILedgerPlugin>().Discover(plugins.Root));

        Assert.All(catalog.Entries, e =>
        {
            PluginException problem = Assert.Single(e.Problems);
            Assert.Equal(PluginErrorCode.PathEscapesPluginDirectory, problem.Code);
            Assert.Contains("is a symbolic link to '/dev/zero', outside the plugin folder", problem.Message, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task A_device_node_inside_the_folder_is_refused_too()
    {
        using var plugins = new PluginFolder("IdentityPlugin");
        string device = plugins.PathOf("IdentityPlugin", "zero");
        Run("mknod", device, "c", "1", "5");

        PluginCatalog catalog = await Bounded(() => new PluginHost<ILedgerPlugin>().Discover(plugins.Root));

        PluginException problem = Assert.Single(Assert.Single(catalog.Entries).Problems);
        Assert.Equal(PluginErrorCode.SpecialFileInPluginFolder, problem.Code);
        Assert.Contains("It is a character device", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_oversized_deps_json_is_refused_with_PB0109_before_it_is_read()
    {
        using var plugins = new PluginFolder("IdentityPlugin");
        using (var stream = File.Open(plugins.PathOf("IdentityPlugin", "IdentityPlugin.deps.json"), FileMode.Open))
        {
            stream.SetLength(17L * 1024 * 1024);
        }

        PluginCatalog catalog = await Bounded(() => new PluginHost<ILedgerPlugin>().Discover(plugins.Root));

        PluginException problem = Assert.Single(Assert.Single(catalog.Entries).Problems);
        Assert.Equal(PluginErrorCode.PluginFileTooLarge, problem.Code);
        Assert.Contains($"the limit for this file is {16 * 1024 * 1024} bytes", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_held_with_FileShare_None_is_a_typed_error_for_that_plugin_only()
    {
        using var plugins = new PluginFolder("IdentityPlugin", "Json13Plugin");
        using var held = new FileStream(plugins.PathOf("Json13Plugin", "Newtonsoft.Json.dll"), FileMode.Open, FileAccess.ReadWrite, FileShare.None);

        PluginCatalog catalog = await Bounded(() => new PluginHost<ILedgerPlugin>().Discover(plugins.Root));

        PluginException problem = Assert.Single(catalog.Entries.Single(e => e.Directory.EndsWith("Json13Plugin", StringComparison.Ordinal)).Problems);
        Assert.Equal(PluginErrorCode.PluginFileLocked, problem.Code);
        Assert.Contains("Another process holds the file locked", problem.Message, StringComparison.Ordinal);
        Assert.True(catalog.Entries.Single(e => e.Id == "IdentityPlugin").IsCompatible);
    }

    [Fact]
    public async Task Creating_a_lock_over_a_fifo_fails_fast_with_PB0108_instead_of_hanging()
    {
        using var plugins = new PluginFolder("IdentityPlugin");
        MakeFifo(plugins.PathOf("IdentityPlugin", "pipe"));

        PluginException error = await Assert.ThrowsAsync<PluginException>(() => Bounded(() => PluginLockFile.Create(plugins.Root)));

        Assert.Equal(PluginErrorCode.SpecialFileInPluginFolder, error.Code);
    }

    private static async Task<T> Bounded<T>(Func<T> work) => await Task.Run(work).WaitAsync(Watchdog);

    private static void MakeFifo(string path) => Run("mkfifo", path);

    private static void Run(string tool, params string[] arguments)
    {
        using Process process = Process.Start(tool, arguments);
        Assert.True(process.WaitForExit(10_000), $"{tool} did not finish");
        Assert.Equal(0, process.ExitCode);
    }
}
