using System.CommandLine;
using Plugboard.Cli.Running;

namespace Plugboard.Cli.Commands;

/// <summary>
/// <c>plugboard watch &lt;dir&gt; --host-api &lt;assembly&gt; --contract &lt;type&gt;</c>: loads the plugins and hot-reloads
/// them as their folders change (Plugboard's reload: new version validated first, swapped atomically), printing every
/// event until Ctrl+C.
/// </summary>
internal sealed class WatchCommand(CommonOptions common) : ICliCommand
{
    private readonly Argument<DirectoryInfo> _directory = new("dir") { Description = "The folder holding one sub-folder per plugin." };
    private readonly Option<FileInfo[]> _hostApi = CommonOptions.RequiredHostApi("The host API assembly plugins compile against (repeat for several); loaded into the tool.");
    private readonly Option<string> _contract = CommonOptions.RequiredContract();
    private readonly Option<int> _debounce = new("--debounce") { Description = "Milliseconds a plugin folder must be quiet before it is reloaded.", DefaultValueFactory = _ => 300 };
    private readonly Option<double?> _duration = new("--duration") { Description = "Stop after this many seconds instead of waiting for Ctrl+C." };

    public Command Build()
    {
        var command = new Command("watch", "Load the plugins and reload each one when its folder changes, printing loaded/reloaded/reload-failed/unloaded events until Ctrl+C.")
        {
            _directory, _hostApi, _contract, common.Shared, common.OutOfProcess, _debounce, _duration,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(_debounce) is < 0 or > 60_000)
            {
                result.AddError("--debounce must be between 0 and 60000 milliseconds.");
            }
            if (result.GetValue(_duration) is <= 0)
            {
                result.AddError("--duration must be positive.");
            }
        });
        return command;
    }

    public Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        string directory = HostApiSelection.RequireDirectory(context.ParseResult.GetRequiredValue(_directory), "plugins folder");
        (Type contract, var api, var shared) = ContractLoader.Load(context.ParseResult.GetRequiredValue(_hostApi), context.ParseResult.GetRequiredValue(_contract), context.ParseResult.GetValue(common.Shared));
        double? seconds = context.ParseResult.GetValue(_duration);
        return PluginSession.For(contract, api, shared, context.ParseResult.GetValue(common.OutOfProcess) ?? []).WatchAsync(directory, TimeSpan.FromMilliseconds(context.ParseResult.GetValue(_debounce)),
            seconds is null ? null : TimeSpan.FromSeconds(seconds.Value), context, cancellationToken);
    }
}
