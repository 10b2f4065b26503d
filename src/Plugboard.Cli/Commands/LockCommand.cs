using System.CommandLine;
using Plugboard.Cli.Output;
using Plugboard.Trust;

namespace Plugboard.Cli.Commands;

/// <summary><c>plugboard lock &lt;dir&gt;</c>: writes the SHA-256 of every plugin file to a lock file.</summary>
internal sealed class LockCommand : ICliCommand
{
    private readonly Argument<DirectoryInfo> _directory = new("dir") { Description = "The folder holding one sub-folder per plugin." };

    private readonly Option<FileInfo?> _output = new("--output", "-o") { Description = $"Where to write the lock file (default: <dir>/{PluginLockFile.DefaultFileName})." };

    public Command Build() => new("lock", "Write a lock file with the SHA-256 of every file of every plugin; 'verify --locked' checks it.")
    {
        _directory, _output,
    };

    public Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        string directory = HostApiSelection.RequireDirectory(context.ParseResult.GetRequiredValue(_directory), "plugins folder");
        string path = context.ParseResult.GetValue(_output)?.FullName ?? Path.Combine(directory, PluginLockFile.DefaultFileName);
        context.Progress($"Hashing {directory} ...");
        PluginLockFile lockFile = PluginLockFile.Create(directory, cancellationToken);
        lockFile.Save(path);
        var model = new LockModel(path, directory, "SHA-256", lockFile.Plugins);
        if (context.Json)
        {
            JsonOutput.Write(context.Out, model);
        }
        else
        {
            context.Human.Line($"Locked {lockFile.Plugins.Values.Sum(f => f.Count)} file(s) of {lockFile.Plugins.Count} plugin folder(s) in {path}");
        }
        return Task.FromResult(ExitCodes.Success);
    }
}
