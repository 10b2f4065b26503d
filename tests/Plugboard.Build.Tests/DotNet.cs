using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace Plugboard.Build.Tests;

/// <summary>The repository and the build configuration the tests were built with.</summary>
internal static class Repo
{
    private static string Metadata(string key) =>
        typeof(Repo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    public static string Root => Metadata("RepoRoot");

    public static string Configuration => Metadata("Configuration");

    /// <summary>The one version every package gets (Directory.Build.props).</summary>
    public static string Version => Metadata("PlugboardVersion");

    public static string Path(string relative) => System.IO.Path.Combine(Root, relative);

    public static string KitProps => Path("src/Plugboard.Build/build/Plugboard.Build.props");

    public static string KitTargets => Path("src/Plugboard.Build/build/Plugboard.Build.targets");
}

/// <summary>The output of one process.</summary>
internal sealed record ProcessResult(string Command, int ExitCode, string Output)
{
    public override string ToString() => $"{Command} exited with {ExitCode}:\n{Output}";
}

/// <summary>Runs dotnet (and other tools) as a user would, isolated from the test host's MSBuild environment.</summary>
internal static class DotNet
{
    /// <summary>
    /// Every build: warnings are errors, no build servers left behind, and one MSBuild node, so these tests leave CPU
    /// to the timing-sensitive tests of other assemblies that dotnet test runs beside them.
    /// </summary>
    private static readonly string[] BuildFlags = ["-nologo", "-nodeReuse:false", "-maxCpuCount:1", "-p:UseSharedCompilation=false", "-p:TreatWarningsAsErrors=true"];

    public static ProcessResult Build(string project, params string[] extra) => Run("dotnet", ["build", project, .. BuildFlags, .. extra]);

    public static ProcessResult Pack(string project, string output, params string[] extra) => Run("dotnet", ["pack", project, "-o", output, .. BuildFlags, .. extra]);

    public static ProcessResult Run(string fileName, IEnumerable<string> arguments, string? workingDirectory = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        // The test host runs under MSBuild/VSTest: do not let its environment steer the child build.
        foreach (string key in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || k.StartsWith("MSBUILD", StringComparison.Ordinal) || k == "DOTNET_HOST_PATH" || k.StartsWith("VSTEST", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish:\n{output}");
        }
        process.WaitForExit();
        lock (output)
        {
            return new ProcessResult($"{fileName} {string.Join(' ', arguments)}", process.ExitCode, output.ToString());
        }
    }
}

/// <summary>A temporary folder outside the repository; deleted on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory(string name)
    {
        Root = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "plugboard-build-tests", name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    public string Write(string relative, string text)
    {
        string path = Path(relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
