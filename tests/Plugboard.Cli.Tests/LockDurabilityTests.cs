using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Plugboard.Cli.Tests;

/// <summary>plugboard lock cannot leave a torn lock file, never hangs on special files, and verify agrees with the host on paths out of a folder.</summary>
public sealed class LockDurabilityTests
{
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Lock_killed_at_random_moments_leaves_a_complete_lock_file()
    {
        using var plugins = new PluginFolder("IdentityPlugin", "Json13Plugin");
        for (int i = 0; i < 12; i++)
        {
            plugins.Add("Json13Plugin", $"Copy{i}");
        }
        string path = Path.Combine(plugins.Root, "plugboard.lock.json");
        Assert.Equal(0, CliProcess.Run("lock", plugins.Root).ExitCode);
        var random = new Random(15);

        for (int round = 0; round < 6; round++)
        {
            // A shell runs lock after lock; SIGKILL of the whole group lands anywhere, writes included.
            var start = new ProcessStartInfo("setsid", ["bash", "-c", $"while :; do dotnet '{CliProcess.Assembly}' lock '{plugins.Root}' >/dev/null 2>&1; done"]) { UseShellExecute = false };
            using Process loop = Process.Start(start)!;
            Thread.Sleep(random.Next(400, 1500));
            using (Process kill = Process.Start("kill", ["-KILL", "--", "-" + loop.Id])!)
            {
                Assert.True(kill.WaitForExit(10_000));
            }
            Assert.True(loop.WaitForExit(10_000), "the lock loop did not stop");

            JsonNode lockJson = JsonNode.Parse(File.ReadAllText(path))!;
            Assert.Equal(14, lockJson["plugins"]!.AsObject().Count);
        }
        // The copies share one plugin id, so verify fails on duplicates; the lock itself must match every file.
        CliResult verify = CliProcess.Run("verify", plugins.Root, "--locked", "--json");
        Assert.True(JsonNode.Parse(verify.Stdout)!["lock"]!["ok"]!.GetValue<bool>(), verify.ToString());
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Lock_over_a_fifo_exits_at_once_with_PB0108()
    {
        using var plugins = new PluginFolder("IdentityPlugin");
        using (Process mkfifo = Process.Start("mkfifo", plugins.PathOf("IdentityPlugin", "pipe"))!)
        {
            Assert.True(mkfifo.WaitForExit(10_000));
        }

        CliResult result = CliProcess.RunProgram("dotnet", [CliProcess.Assembly, "lock", plugins.Root], TimeSpan.FromSeconds(60));

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains("PB0108", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("named pipe (FIFO)", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(plugins.Root, "plugboard.lock.json")));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Lock_stops_on_SIGTERM_without_writing_a_partial_lock()
    {
        using var plugins = new PluginFolder("IdentityPlugin");
        for (int i = 0; i < 40; i++)
        {
            // Sparse files: cheap to create, but each is read and hashed in full (about a second of work in all).
            string folder = plugins.Add("IdentityPlugin", $"Big{i:00}");
            using var big = new FileStream(Path.Combine(folder, "data.bin"), FileMode.CreateNew);
            big.SetLength(200L * 1024 * 1024);
        }
        var start = new ProcessStartInfo("dotnet", [CliProcess.Assembly, "lock", plugins.Root]) { RedirectStandardError = true, RedirectStandardOutput = true };
        using Process lockProcess = Process.Start(start)!;
        string? progress = lockProcess.StandardError.ReadLine();
        Thread.Sleep(500);
        Assert.False(lockProcess.HasExited, $"lock finished before SIGTERM could be sent ({progress})");
        using (Process term = Process.Start("kill", ["-TERM", lockProcess.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!)
        {
            Assert.True(term.WaitForExit(10_000));
        }

        Assert.True(lockProcess.WaitForExit(10_000), "lock ignored SIGTERM");
        Assert.NotEqual(0, lockProcess.ExitCode);
        Assert.False(File.Exists(Path.Combine(plugins.Root, "plugboard.lock.json")));
    }

    [Fact]
    public void Verify_strict_allow_and_lock_file_fails_a_deps_json_leading_out_of_the_folder_with_PB0107()
    {
        using var plugins = new PluginFolder("IdentityPlugin", "Json13Plugin");
        string outside = Path.Combine(plugins.Root, "..", "outside-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(outside);
        File.Copy(plugins.PathOf("IdentityPlugin", "IdentityPlugin.dll"), Path.Combine(outside, "Helper.dll"));
        string deps = plugins.PathOf("Json13Plugin", "Json13Plugin.deps.json");
        JsonNode root = JsonNode.Parse(File.ReadAllText(deps))!;
        JsonObject library = root["targets"]!.AsObject().First().Value!.AsObject().First(l => l.Key.StartsWith("Json13Plugin/", StringComparison.Ordinal)).Value!.AsObject();
        library["runtimeTargets"] = new JsonObject { [$"../../{Path.GetFileName(outside)}/Helper.dll"] = new JsonObject { ["rid"] = "linux-x64", ["assetType"] = "runtime" } };
        File.WriteAllText(deps, root.ToJsonString());
        string lockFile = Path.Combine(plugins.Root, "..", Guid.NewGuid().ToString("N") + ".lock.json");
        Assert.Equal(0, CliProcess.Run("lock", plugins.Root, "-o", lockFile).ExitCode);

        CliResult result = CliProcess.Run("verify", plugins.Root, "--strict", "--allow", plugins.Root, "--lock-file", lockFile, "--json");

        Assert.True(result.ExitCode == 1, result.ToString());
        JsonNode json = JsonNode.Parse(result.Stdout)!;
        JsonNode plugin = json["plugins"]!.AsArray().Single(p => p!["id"]!.GetValue<string>() == "Json13Plugin")!;
        Assert.Equal("PB0107", plugin["problems"]![0]!["code"]!.GetValue<string>());
        Assert.DoesNotContain("every file matches. OK", result.Stdout, StringComparison.Ordinal);
        Directory.Delete(outside, recursive: true);
        File.Delete(lockFile);
    }
}
