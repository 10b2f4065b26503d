using System.CommandLine;
using Plugboard.Cli.Output;
using Plugboard.Compatibility;
using Plugboard.Tools;

namespace Plugboard.Cli.Commands;

/// <summary>
/// <c>plugboard api-check --old &lt;Api.1.2.dll&gt; --new &lt;Api.1.3.dll&gt; [--plugins &lt;dir&gt;] [--contract &lt;type&gt;]</c>:
/// whether a new build of the host API is binary compatible for plugins built against the old one, before it
/// ships. Without <c>--plugins</c> every breaking change counts; with it, the plugins of the folder that pass on the old
/// API and fail on the new one (checked by the host's own compatibility check) are what counts.
/// </summary>
internal sealed class ApiCheckCommand(CommonOptions common) : ICliCommand
{
    private readonly Option<FileInfo> _old = new("--old") { Description = "The host API assembly plugins were built against (the shipped build).", Required = true };

    private readonly Option<FileInfo> _new = new("--new") { Description = "The host API assembly about to ship.", Required = true };

    private readonly Option<DirectoryInfo?> _plugins = new("--plugins") { Description = "A folder of plugin folders: report which of them the new API breaks, and by which member." };

    public Command Build() => new("api-check", "Check whether a new host API build is binary compatible for plugins; exit code 0 only when it breaks none.")
    {
        _old, _new, _plugins, common.Contract,
    };

    public Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        ParseResult parse = context.ParseResult;
        FileInfo oldApi = Existing(parse.GetRequiredValue(_old));
        FileInfo newApi = Existing(parse.GetRequiredValue(_new));
        IReadOnlyList<HostApiBreak> changes;
        try
        {
            changes = HostApiComparison.Compare(oldApi.FullName, newApi.FullName);
        }
        catch (BadImageFormatException ex)
        {
            throw new CliInputException($"An API file is not a .NET assembly: {ex.Message}", "Pass the managed assemblies (.dll) of the two host API builds.");
        }

        List<BrokenPluginModel>? broken = null;
        if (parse.GetValue(_plugins) is DirectoryInfo pluginsDirectory)
        {
            string directory = HostApiSelection.RequireDirectory(pluginsDirectory, "plugins folder");
            string? contract = parse.GetValue(common.Contract);
            context.Progress($"Checking plugins in {directory} against both API builds ...");
            PluginCatalog before = Checker(oldApi, contract).Discover(directory);
            PluginCatalog after = Checker(newApi, contract).Discover(directory);
            broken = [.. before.Entries.Where(e => e.IsCompatible)
                .Select(e => (Before: e, After: after.Entries.First(a => string.Equals(a.Directory, e.Directory, StringComparison.Ordinal))))
                .Where(pair => !pair.After.IsCompatible)
                .Select(pair => new BrokenPluginModel(pair.After.Id, pair.After.Directory, [.. pair.After.Problems.Select(ProblemModel.From)]))];
        }
        bool ok = broken is null ? changes.Count == 0 : broken.Count == 0;
        var model = new ApiCheckModel(oldApi.FullName, newApi.FullName, ok,
            [.. changes.Select(c => new ApiBreakModel(c.TypeName, c.Member, c.Reason))], broken);
        if (context.Json)
        {
            JsonOutput.Write(context.Out, model);
        }
        else
        {
            Render(context.Human, model);
        }
        return Task.FromResult(ok ? ExitCodes.Success : ExitCodes.PluginProblems);
    }

    private static HostApiFiles Checker(FileInfo api, string? contract)
    {
        try
        {
            return new HostApiFiles([api.FullName], contract);
        }
        catch (ArgumentException ex)
        {
            throw new CliInputException(ex.Message, "Pass the full name of a public type defined in both API builds, or leave --contract out.");
        }
    }

    private static FileInfo Existing(FileInfo file) => file.Exists ? file
        : throw new CliInputException($"The assembly '{file.FullName}' does not exist.", "Pass the host API assembly files of the two builds, e.g. bin/Release/net10.0/MyApp.Api.dll.");

    private static void Render(HumanOutput output, ApiCheckModel model)
    {
        output.Heading($"{Path.GetFileName(model.NewApi)} against {Path.GetFileName(model.OldApi)}");
        if (model.Breaks.Count == 0)
        {
            output.Styled("No change breaks plugins built against the old API.", "green");
        }
        else
        {
            output.List($"{model.Breaks.Count} change(s) break plugins that use them:", [.. model.Breaks.Select(b => b.Member is null ? $"{b.Type}: {b.Reason}" : $"{b.Type}: {b.Member}: {b.Reason}")]);
        }
        if (model.BrokenPlugins is { } plugins)
        {
            if (plugins.Count == 0)
            {
                output.Styled("Every plugin that runs on the old API also runs on the new one.", "green");
            }
            foreach (BrokenPluginModel plugin in plugins)
            {
                output.Styled($"{plugin.Id} would break:", "red");
                foreach (ProblemModel problem in plugin.Problems)
                {
                    output.Problem(problem);
                }
            }
        }
    }
}
