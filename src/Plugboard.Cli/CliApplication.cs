using System.CommandLine;
using System.CommandLine.Invocation;
using Plugboard.Cli.Commands;
using Plugboard.Cli.Output;

namespace Plugboard.Cli;

/// <summary>The command tree, and the one place errors become messages and exit codes.</summary>
internal static class CliApplication
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var common = new CommonOptions();
        var root = new RootCommand("plugboard: inspect, verify, lock, run and watch Plugboard plugin folders; emit native bindings of a host API (bindgen).\nExit codes: 0 ok, 1 plugin problems (incompatible, failed, not collected, changed since locked; for bindgen: members the bindings cannot express), 2 usage error, 3 unusable input, 4 internal error.") { common.Json, common.Verbose };
        ICliCommand[] commands = [new ListCommand(common), new InspectCommand(common), new VerifyCommand(common), new ApiCheckCommand(common), new LockCommand(), new RunCommand(common), new WatchCommand(common), new BindgenCommand()];
        foreach (ICliCommand command in commands)
        {
            Command built = command.Build();
            built.SetAction((parse, cancellationToken) => ExecuteAsync(command, new CommandContext(parse, common, stdout, stderr), cancellationToken));
            root.Add(built);
        }

        ParseResult parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0 && parseResult.Action is ParseErrorAction)
        {
            foreach (var error in parseResult.Errors)
            {
                await stderr.WriteLineAsync($"error: {error.Message}").ConfigureAwait(false);
            }
            await stderr.WriteLineAsync("Run 'plugboard --help' or 'plugboard <command> --help' for usage.").ConfigureAwait(false);
            return ExitCodes.UsageError;
        }
        if (parseResult.CommandResult.Command == root && parseResult.Action is null)
        {
            await stderr.WriteLineAsync("error: name a command: list, inspect, verify, api-check, lock, run, watch or bindgen. Run 'plugboard --help' for usage.").ConfigureAwait(false);
            return ExitCodes.UsageError;
        }
        return await parseResult.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false }).ConfigureAwait(false);
    }

    private static async Task<int> ExecuteAsync(ICliCommand command, CommandContext context, CancellationToken cancellationToken)
    {
        try
        {
            return await command.RunAsync(context, cancellationToken).ConfigureAwait(false);
        }
        catch (CliInputException ex)
        {
            return Fail(context, null, $"{ex.Message} Fix: {ex.Fix}", ExitCodes.InputError, ex);
        }
        catch (PluginException ex)
        {
            // Errors of the command's own inputs (the folder, the lock file), not of one plugin among others.
            return Fail(context, ProblemModel.From(ex), ex.Message, ExitCodes.InputError, ex);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await context.Error.WriteLineAsync("Cancelled.").ConfigureAwait(false);
            return 130;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Fail(context, null, $"{ex.GetType().Name}: {ex.Message}", ExitCodes.InputError, ex);
        }
#pragma warning disable CA1031 // The tool's last line of defence: a message and an exit code, never an unhandled crash.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return Fail(context, null, $"unexpected {ex.GetType().Name}: {ex.Message}", ExitCodes.InternalError, ex);
        }
    }

    private static int Fail(CommandContext context, ProblemModel? problem, string message, int exitCode, Exception exception)
    {
        context.Error.WriteLine($"error: {message}");
        if (context.Verbose)
        {
            context.Error.WriteLine(exception.ToString());
        }
        else if (exitCode == ExitCodes.InternalError)
        {
            context.Error.WriteLine("Run again with --verbose for the stack trace.");
        }
        if (context.Json)
        {
            JsonOutput.Write(context.Out, new ErrorModel(problem, message, exitCode));
        }
        return exitCode;
    }
}
