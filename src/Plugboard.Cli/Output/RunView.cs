namespace Plugboard.Cli.Output;

/// <summary>Renders what run loaded, what failed and the unload reports, and watch's events, for people.</summary>
internal static class RunView
{
    public static void Render(HumanOutput output, RunModel model)
    {
        output.Heading($"Running plugins of {model.Directory} as {model.Contract}");
        if (model.Loaded.Count > 0)
        {
            output.Table(["loaded", "version", "isolation", "entry instances"], model.Loaded.Select(l => (IReadOnlyList<string?>)[l.Id, l.Version,
                l.Isolation == PluginIsolation.OutOfProcess ? "out of process" : "in process", string.Join(", ", l.Instances)]));
        }
        foreach (FailedModel failed in model.Failed)
        {
            foreach (ProblemModel problem in failed.Errors)
            {
                output.Problem(problem);
            }
        }
        if (model.Native.Count > 0)
        {
            output.Table(["native plugin", "name", "version", "ABI minor", "flags", "library closed"],
                model.Native.Select(n => (IReadOnlyList<string?>)[n.Id, n.Name, n.Version, n.AbiMinor.ToString(System.Globalization.CultureInfo.InvariantCulture), n.Flags, n.Unloaded ? "yes" : "no (not unloadable)"]));
        }
        Unloads(output, model.Unloaded);
        output.Styled($"{model.Loaded.Count + model.Native.Count} loaded, {model.Failed.Count} failed, {model.Unloaded.Count(u => u.Collected)}/{model.Unloaded.Count} unloaded and collected",
            model.Ok ? "green" : "red");
    }

    public static void Unloads(HumanOutput output, IReadOnlyList<UnloadModel> unloads)
    {
        if (unloads.Count == 0)
        {
            return;
        }
        output.Table(["unloaded", "collected", "GCs", "ms", "suspects"],
            unloads.Select(u => (IReadOnlyList<string?>)[u.Id, u.Collected ? "yes" : "NO", u.Collections.ToString(System.Globalization.CultureInfo.InvariantCulture),
                u.ElapsedMs.ToString("F1", System.Globalization.CultureInfo.InvariantCulture), string.Join("; ", u.Suspects)]));
        foreach (UnloadModel u in unloads.Where(u => !u.Collected))
        {
            foreach (LeakRootModel root in u.Roots)
            {
                // One line per root, then the chain indented, one type per line: long generic names stay readable.
                output.Line($"{u.Id} is kept alive by the {root.Root} [{root.Kind}]");
                foreach (string type in root.Chain)
                {
                    output.Line($"    -> {type}");
                }
            }
            if (u.Diagnosis is string diagnosis)
            {
                output.Line($"{u.Id}: {diagnosis}");
            }
        }
    }

    public static void Event(HumanOutput output, WatchEventModel e)
    {
        string time = e.Time.ToLocalTime().ToString("HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture);
        string what = e.Event switch
        {
            "loaded" => $"loaded {e.PluginId} {e.Version}",
            "reloaded" => $"reloaded {e.PluginId} {e.PreviousVersion} -> {e.Version} in {e.ElapsedMs:F0} ms" + (e.Unload is { Collected: false } ? "; old version NOT collected" : string.Empty),
            "reload-failed" => $"reload of {e.PluginId} failed; {e.Version ?? "nothing"} keeps serving",
            "unloaded" => $"unloaded {e.PluginId}" + (e.Unload is { Collected: false } ? " (NOT collected)" : string.Empty),
            "faulted" => $"{e.PluginId} {e.Version} is faulted: it threw too often and is no longer called until it is reloaded",
            "load-failed" => $"{e.PluginId} failed to load",
            _ => $"{e.Event} {e.PluginId}",
        };
        output.Line($"{time} {what}");
        if (e.Error is ProblemModel error)
        {
            output.Problem(error);
        }
    }
}
