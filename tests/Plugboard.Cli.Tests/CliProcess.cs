using System.Diagnostics;
using System.Text;

namespace Plugboard.Cli.Tests;

/// <summary>The plugboard tool run as a real process: <c>dotnet Plugboard.Cli.dll ...</c>.</summary>
internal static class CliProcess
{
    public static string Assembly => PluginFolder.Metadata("CliAssembly");

    public static string TestApi => typeof(TestApi.Ledger).Assembly.Location;

    public static CliResult Run(params string[] args) => RunProgram("dotnet", [Assembly, .. args]);

    /// <summary>Runs a program to its end; <paramref name="onLine"/> sees every line of stdout and stderr as it comes.</summary>
    public static CliResult RunProgram(string program, IEnumerable<string> args, TimeSpan? timeout = null, Action<string>? onLine = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = new Process { StartInfo = start };
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stdout)
                {
                    stdout.AppendLine(e.Data);
                }
                onLine?.Invoke(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stderr)
                {
                    stderr.AppendLine(e.Data);
                }
                onLine?.Invoke(e.Data);
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromSeconds(120)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not finish; stderr: {stderr}");
        }
        process.WaitForExit();
        return new CliResult(process.ExitCode, stdout.ToString(), stderr.ToString());
    }
}

/// <summary>What a run of the tool printed and returned.</summary>
internal sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public JsonElement Json()
    {
        using var document = JsonDocument.Parse(Stdout);
        return document.RootElement.Clone();
    }

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}
