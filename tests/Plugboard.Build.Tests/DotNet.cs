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

    /// <summary>The flags every build of these tests passes, for commands that run dotnet themselves (eng/pack.sh).</summary>
    public static IReadOnlyList<string> Flags => BuildFlags;

    public static ProcessResult Build(string project, params string[] extra) => Run("dotnet", ["build", project, .. BuildFlags, .. extra]);

    public static ProcessResult Pack(string project, string output, params string[] extra) => Run("dotnet", ["pack", project, "-o", output, .. BuildFlags, .. extra]);

    public static ProcessResult Run(string fileName, IEnumerable<string> arguments, string? workingDirectory = null, TimeSpan? timeout = null)
    {
        using RunningProcess process = Start(fileName, arguments, workingDirectory);
        return process.WaitForExit(timeout ?? TimeSpan.FromMinutes(3));
    }

    /// <summary>Starts a process and collects its output while it runs (a host the test talks to).</summary>
    public static RunningProcess Start(string fileName, IEnumerable<string> arguments, string? workingDirectory = null)
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

        return new RunningProcess(start, $"{fileName} {string.Join(' ', arguments)}");
    }
}

/// <summary>A started process: its output so far, a bounded wait for a line, a bounded wait for its exit.</summary>
internal sealed class RunningProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string _command;

    public RunningProcess(ProcessStartInfo start, string command)
    {
        _command = command;
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Waits until the output contains <paramref name="text"/>; fails if the process ends or the time runs out first.</summary>
    public void WaitForOutput(string text, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited || clock.Elapsed > timeout)
            {
                _process.WaitForExit(1000);
                throw new TimeoutException($"{_command} did not print '{text}' (exited: {_process.HasExited}):\n{Output}");
            }
            Thread.Sleep(50);
        }
    }

    public ProcessResult WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{_command} did not finish:\n{Output}");
        }
        _process.WaitForExit();
        return new ProcessResult(_command, _process.ExitCode, Output);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
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
