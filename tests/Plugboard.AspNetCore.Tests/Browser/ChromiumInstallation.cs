using System.Diagnostics;

namespace Plugboard.AspNetCore.Tests.Browser;

/// <summary>
/// Finds the system's Chromium, and installs Debian's <c>chromium</c> package when it is missing and the tests run as
/// root with apt-get (a fresh CI machine), so <c>dotnet test</c> alone sets a machine up. Where it can do neither it
/// throws, and the browser tests fail saying so: they never pass without a browser.
/// </summary>
internal static class ChromiumInstallation
{
    private static readonly string[] s_names = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];
    private static readonly Lazy<string> s_executable = new(LocateOrInstall, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The browser's executable; the first call may install it (minutes, once).</summary>
    public static string Executable => s_executable.Value;

    private static string LocateOrInstall()
    {
        if (Find() is string found)
        {
            return found;
        }
        string? aptGet = OnPath("apt-get");
        if (!OperatingSystem.IsLinux() || aptGet is null || Environment.UserName != "root")
        {
            throw new InvalidOperationException(
                "The dashboard tests need a headless Chromium and found none on PATH (chromium, chromium-browser, google-chrome), "
                + $"and cannot install one here ({(aptGet is null ? "no apt-get" : "not root")}). Install it: sudo apt-get install -y chromium.");
        }
        string update = Run(aptGet, ["update"], TimeSpan.FromMinutes(5));
        string install = Run(aptGet, ["install", "-y", "chromium"], TimeSpan.FromMinutes(15));
        return Find() ?? throw new InvalidOperationException(
            $"apt-get install -y chromium ran but no chromium is on PATH. apt-get update said:\n{Tail(update)}\napt-get install said:\n{Tail(install)}");
    }

    private static string? Find() => s_names.Select(OnPath).FirstOrDefault(p => p is not null);

    private static string? OnPath(string name) => (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin")
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(d => Path.Combine(d, name))
        .FirstOrDefault(File.Exists);

    private static string Run(string file, string[] arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} did not finish within {timeout}; killed.");
        }
        process.WaitForExit();
        string text = output.Result + error.Result;
        return process.ExitCode == 0 ? text
            : throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed (exit code {process.ExitCode}):\n{Tail(text)}");
    }

    private static string Tail(string text) => text.Length <= 4000 ? text : text[^4000..];
}
