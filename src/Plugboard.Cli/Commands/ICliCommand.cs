using System.CommandLine;

namespace Plugboard.Cli.Commands;

/// <summary>One command of the tool: its syntax, and what it does with a parsed command line.</summary>
internal interface ICliCommand
{
    Command Build();

    Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken);
}
