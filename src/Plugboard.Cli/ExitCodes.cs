namespace Plugboard.Cli;

/// <summary>The process exit codes of every command (documented in docs/cli.md; CI scripts rely on them).</summary>
internal static class ExitCodes
{
    /// <summary>Everything checked is fine.</summary>
    public const int Success = 0;

    /// <summary>At least one plugin is incompatible, failed to load, or differs from the lock file; for bindgen, the host API has members the bindings cannot express.</summary>
    public const int PluginProblems = 1;

    /// <summary>The command line is wrong: unknown command or option, missing argument.</summary>
    public const int UsageError = 2;

    /// <summary>An input cannot be used: the folder, the host API file or the lock file is missing or unreadable, the contract type is unknown.</summary>
    public const int InputError = 3;

    /// <summary>An unexpected failure inside the tool (run with --verbose for the stack trace).</summary>
    public const int InternalError = 4;
}
