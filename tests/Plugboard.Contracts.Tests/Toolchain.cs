using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Plugboard.Contracts.Tests;

/// <summary>
/// Runs the real compilers. A missing compiler fails the test with a message saying which one (never a silent
/// pass): these tests are the proof that the emitted bindings compile.
/// </summary>
internal static class Toolchain
{
    public static (int Exit, string Output) Run(string program, IEnumerable<string> arguments, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["RUST_BACKTRACE"] = "0";
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception ex)
        {
            Assert.Fail($"'{program}' is not installed on this machine ({ex.Message}); this test compiles the emitted bindings with it and cannot run without it.");
            throw;
        }
        using (process)
        {
            var output = new StringBuilder();
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"{program} {string.Join(' ', arguments)} did not finish within 3 minutes");
            }
            process.WaitForExit();
            lock (output)
            {
                return (process.ExitCode, output.ToString());
            }
        }
    }

    /// <summary>Runs a program and fails with its output unless it exits 0.</summary>
    public static string Succeed(string program, params string[] arguments)
    {
        (int exit, string output) = Run(program, arguments);
        Assert.True(exit == 0, $"{program} {string.Join(' ', arguments)} exited {exit}:\n{output}");
        return output;
    }

    /// <summary>Writes the emitted bindings of a host API into a new folder.</summary>
    public static string Emit(ContractModel model, BindingLanguage language, string name)
    {
        string directory = TestApis.NewTempDirectory(name);
        foreach (EmittedFile file in ContractBindings.Emit(model, language))
        {
            File.WriteAllText(Path.Combine(directory, file.FileName), file.Content);
        }
        return directory;
    }

    public static string PlugboardInclude => Path.Combine(TestApis.RepoRoot, "native", "include");

    public static string NativeSource(string fileName) => Path.Combine(AppContext.BaseDirectory, "Native", fileName);
}
