using System.CommandLine;
using Plugboard.Cli.Output;

namespace Plugboard.Cli;

/// <summary>What a running command needs besides its own arguments: where to write and how.</summary>
internal sealed class CommandContext(ParseResult parseResult, CommonOptions common, TextWriter stdout, TextWriter stderr)
{
    public ParseResult ParseResult { get; } = parseResult;

    public bool Json { get; } = parseResult.GetValue(common.Json);

    public bool Verbose { get; } = parseResult.GetValue(common.Verbose);

    public TextWriter Out { get; } = stdout;

    public TextWriter Error { get; } = stderr;

    public HumanOutput Human => new(Out);

    /// <summary>A progress line on stderr (stdout keeps only the result), for scans that take a while.</summary>
    public void Progress(string message)
    {
        Error.WriteLine(message);
    }
}
