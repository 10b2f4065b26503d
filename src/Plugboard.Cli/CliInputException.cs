namespace Plugboard.Cli;

/// <summary>An input the command cannot use (exit code 3), with what to do about it.</summary>
internal sealed class CliInputException(string message, string fix) : Exception(message)
{
    public string Fix { get; } = fix;
}
