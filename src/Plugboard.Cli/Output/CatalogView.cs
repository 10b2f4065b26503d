using Spectre.Console;

namespace Plugboard.Cli.Output;

/// <summary>Renders catalogs (list, verify) for people.</summary>
internal static class CatalogView
{
    public static void Render(HumanOutput output, ListModel model)
    {
        output.Heading($"Plugins in {model.Directory}");
        Plugins(output, model.Plugins);
        Summary(output, model.Summary);
        if (!model.HostApiChecked)
        {
            output.Line("Compatibility not checked: pass --host-api <assembly> (and --contract <type>) to check it.");
        }
    }

    public static void Render(HumanOutput output, VerifyModel model)
    {
        output.Heading($"Verifying {model.Directory}");
        Plugins(output, model.Plugins);
        foreach (ProblemModel problem in model.Plugins.SelectMany(p => p.Problems))
        {
            output.Problem(problem);
        }
        Summary(output, model.Summary);
        if (model.Lock is LockCheckModel lockCheck)
        {
            output.Line(lockCheck.Ok ? $"Lock file {lockCheck.File}: every file matches." : $"Lock file {lockCheck.File}: {lockCheck.Problems.Count} file(s) differ.");
            foreach (ProblemModel problem in lockCheck.Problems)
            {
                output.Problem(problem);
            }
        }
        output.Styled(model.Ok ? "OK" : "FAILED", model.Ok ? "green" : "red");
    }

    private static void Plugins(HumanOutput output, IReadOnlyList<PluginModel> plugins)
    {
        if (plugins.Count == 0)
        {
            output.Line("No plugin folders found.");
            return;
        }
        output.Table(["id", "version", "kind", "status"],
            plugins.Select(p => (IReadOnlyList<string?>)[p.Id, p.Version, p.Kind, p.Verdict]),
            row => row[3] == "compatible" ? new Style(Color.Green) : row[3] == PluginModel.NotChecked ? Style.Plain : new Style(Color.Red));
    }

    private static void Summary(HumanOutput output, SummaryModel summary) =>
        output.Line($"{summary.Total} plugin(s): {summary.Compatible} compatible, {summary.Incompatible} incompatible, {summary.NotChecked} not checked.");
}
