using System.CommandLine;
using Plugboard.Cli.Output;
using Plugboard.Tools;

namespace Plugboard.Cli.Commands;

/// <summary><c>plugboard inspect &lt;plugin-dir&gt;</c>: everything Plugboard reads from one plugin folder.</summary>
internal sealed class InspectCommand(CommonOptions common) : ICliCommand
{
    private readonly Argument<DirectoryInfo> _directory = new("plugin-dir") { Description = "The folder of one plugin (its build or publish output)." };

    public Command Build() => new("inspect", "Show one plugin: manifest, entry points, referenced assemblies, host API types and members it uses, dependencies, native exports and ABI version.")
    {
        _directory, common.HostApi, common.Contract, common.Shared, common.Framework, common.DependencyInjection,
    };

    public Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        string directory = HostApiSelection.RequireDirectory(context.ParseResult.GetRequiredValue(_directory), "plugin folder");
        (HostApiFiles files, bool hostApiChecked) = HostApiSelection.Create(context.ParseResult, common);
        InspectModel model = InspectModelBuilder.Build(HostApiLayouts.Read(context.ParseResult.GetValue(common.HostApi)).Check(files.Inspect(directory)), hostApiChecked);
        if (context.Json)
        {
            JsonOutput.Write(context.Out, model);
        }
        else
        {
            InspectView.Render(context.Human, model);
        }
        return Task.FromResult(model.Plugin.Compatible == false ? ExitCodes.PluginProblems : ExitCodes.Success);
    }
}
