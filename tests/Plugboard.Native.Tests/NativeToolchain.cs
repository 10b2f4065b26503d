using System.Diagnostics;

namespace Plugboard.Native.Tests;

/// <summary>The real compilers, run by the tests that build plugins from emitted bindings.</summary>
internal static class NativeToolchain
{
    /// <summary>Compiles one C file into a shared library with the project's strict flags, plugboard.h and <paramref name="include"/> on the path.</summary>
    public static void CompileC(string source, string include, string output, params string[] defines) =>
        Run("cc", ["-std=c11", "-Wall", "-Wextra", "-Werror", "-pedantic", "-shared", "-fPIC", .. defines.Select(d => "-D" + d), "-I", Path.Combine(TestPaths.RepoRoot, "native", "include"), "-I", include, source, "-o", output]);

    /// <summary>Runs a tool; a missing tool fails the test (Process.Start throws): these tests are the proof that the bindings build.</summary>
    public static void Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(3)), $"{program} did not finish");
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)} failed:\n{stdout.Result}{stderr}");
    }
}
