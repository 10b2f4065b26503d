using System.CommandLine;
using Plugboard.Cli.Output;
using Plugboard.Tools;

namespace Plugboard.Cli.Commands;

/// <summary><c>plugboard list &lt;dir&gt;</c>: the catalog of a plugins folder, read from metadata without loading anything.</summary>
internal sealed class ListCommand(CommonOptions common) : ICliCommand
{
    private readonly Argument<DirectoryInfo> _directory = new("dir") { Description = "The folder holding one sub-folder per plugin." };

    public Command Build() => new("list", "List the plugins of a folder: id, version, kind, and (with --host-api) whether this host API can run them.")
    {
        _directory, common.HostApi, common.Contract, common.Shared, common.Framework, common.DependencyInjection,
    };

    public Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        string directory = HostApiSelection.RequireDirectory(context.ParseResult.GetRequiredValue(_directory), "plugins folder");
        (HostApiFiles files, bool hostApiChecked) = HostApiSelection.Create(context.ParseResult, common);
        context.Progress($"Scanning {directory} ...");
        PluginCatalog catalog = files.Discover(directory);
        List<PluginModel> plugins = [.. catalog.Entries.Select(HostApiLayouts.Read(context.ParseResult.GetValue(common.HostApi)).Check).Select(e => PluginModel.From(e, hostApiChecked))];
        var model = new ListModel(catalog.Directory, hostApiChecked, plugins, SummaryModel.Of(plugins));
        if (context.Json)
        {
            JsonOutput.Write(context.Out, model);
        }
        else
        {
            CatalogView.Render(context.Human, model);
        }
        return Task.FromResult(plugins.Any(p => p.Compatible == false) ? ExitCodes.PluginProblems : ExitCodes.Success);
    }
}
