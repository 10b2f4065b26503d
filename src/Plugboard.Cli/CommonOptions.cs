using System.CommandLine;

namespace Plugboard.Cli;

/// <summary>The options several commands share, created once so every command parses them the same way.</summary>
internal sealed class CommonOptions
{
    public Option<bool> Json { get; } = new("--json") { Description = "Write one JSON document to stdout instead of tables.", Recursive = true };

    public Option<bool> Verbose { get; } = new("--verbose", "-v") { Description = "Show stack traces of unexpected errors.", Recursive = true };

    public Option<FileInfo[]> HostApi { get; } = new("--host-api")
    {
        Description = "A host API assembly plugins compile against (repeat for several). Without it, compatibility is not checked.",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<string?> Contract { get; } = new("--contract") { Description = "Full name of the contract type plugins implement, e.g. Notebook.Api.INoteProcessor." };

    public Option<FileInfo[]> Shared { get; } = new("--shared") { Description = "A further assembly plugins share with the host (repeat for several)." };

    public Option<string[]> Framework { get; } = new("--framework")
    {
        Description = "A shared framework the host runs besides Microsoft.NETCore.App, e.g. Microsoft.AspNetCore.App (repeat for several); plugins needing another are refused with PB0207.",
    };

    public Option<string[]> OutOfProcess { get; } = new("--out-of-process")
    {
        Description = "Run this plugin (by id) out of process, in a supervised worker (repeat for several; '*' for every managed plugin).",
    };

    public Option<bool> DependencyInjection { get; } = new("--di")
    {
        Description = "The host creates plugin entries through dependency injection (Plugboard.Hosting): accept any public constructor.",
    };

    public static Option<FileInfo[]> RequiredHostApi(string description) => new("--host-api") { Description = description, Required = true };

    public static Option<string> RequiredContract() => new("--contract") { Description = "Full name of the contract type plugins implement.", Required = true };
}
