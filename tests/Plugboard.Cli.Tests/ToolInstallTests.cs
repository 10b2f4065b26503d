namespace Plugboard.Cli.Tests;

/// <summary>The tool as users get it: packed, installed with dotnet tool install from the local package, run by its command name.</summary>
public sealed class ToolInstallTests
{
    [Fact]
    public void The_packed_tool_installs_from_a_local_source_and_runs()
    {
        string root = Path.Combine(Path.GetTempPath(), "plugboard-tests", "tool-" + Guid.NewGuid().ToString("N"));
        string feed = Path.Combine(root, "feed");
        string tools = Path.Combine(root, "tools");
        try
        {
            CliResult pack = CliProcess.RunProgram("dotnet", ["pack", PluginFolder.Metadata("CliProject"), "--no-build", "-c", PluginFolder.Metadata("Configuration"), "-o", feed, "-p:NuGetAudit=false"]);
            Assert.True(pack.ExitCode == 0, pack.ToString());
            Assert.Single(Directory.GetFiles(feed, "Plugboard.Cli.*.nupkg"));

            CliResult install = CliProcess.RunProgram("dotnet", ["tool", "install", "Plugboard.Cli", "--tool-path", tools, "--add-source", feed, "--ignore-failed-sources", "--prerelease"]);
            Assert.True(install.ExitCode == 0, install.ToString());

            using var plugins = new PluginFolder("IdentityPlugin");
            string command = Path.Combine(tools, OperatingSystem.IsWindows() ? "plugboard.exe" : "plugboard");
            CliResult list = CliProcess.RunProgram(command, ["list", plugins.Root, "--host-api", CliProcess.TestApi, "--json"]);
            Assert.True(list.ExitCode == 0, list.ToString());
            Assert.Equal("IdentityPlugin", list.Json().GetProperty("plugins")[0].GetProperty("id").GetString());
        }
        finally
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
