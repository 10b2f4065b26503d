using System.CommandLine;
using Plugboard.Cli.Running;

namespace Plugboard.Cli.Commands;

/// <summary>
/// <c>plugboard run &lt;dir&gt; --host-api &lt;assembly&gt; --contract &lt;type&gt;</c>: acts as the host: loads and
/// initializes every plugin, reports what loaded and what failed, unloads them and reports whether each was collected.
/// </summary>
internal sealed class RunCommand(CommonOptions common) : ICliCommand
{
    private readonly Argument<DirectoryInfo> _directory = new("dir") { Description = "The folder holding one sub-folder per plugin." };
    private readonly Option<FileInfo[]> _hostApi = CommonOptions.RequiredHostApi("The host API assembly plugins compile against (repeat for several); loaded into the tool.");
    private readonly Option<string> _contract = CommonOptions.RequiredContract();

    public Command Build() => new("run", "Load, initialize and start every plugin as a host would, report, then unload them and report whether each was collected.")
    {
        _directory, _hostApi, _contract, common.Shared, common.OutOfProcess,
    };

    public Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        string directory = HostApiSelection.RequireDirectory(context.ParseResult.GetRequiredValue(_directory), "plugins folder");
        (Type contract, var api, var shared) = ContractLoader.Load(context.ParseResult.GetRequiredValue(_hostApi), context.ParseResult.GetRequiredValue(_contract), context.ParseResult.GetValue(common.Shared));
        return PluginSession.For(contract, api, shared, context.ParseResult.GetValue(common.OutOfProcess) ?? []).RunAsync(directory, context, cancellationToken);
    }
}
