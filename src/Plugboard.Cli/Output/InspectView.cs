namespace Plugboard.Cli.Output;

/// <summary>Renders one plugin's inspection for people.</summary>
internal static class InspectView
{
    public static void Render(HumanOutput output, InspectModel model)
    {
        PluginModel plugin = model.Plugin;
        output.Heading($"Plugin {plugin.Id}");
        output.Fields([
            ("id", plugin.Id), ("version", plugin.Version), ("kind", plugin.Kind), ("folder", plugin.Directory), ("main file", plugin.MainFile),
            ("status", plugin.Verdict), ("description", model.Manifest?.Description),
            ("manifest", model.Manifest is null ? "none (metadata of the assembly)" : "plugin.json"),
        ]);
        output.List("Entry types", model.EntryTypes);
        if (model.References.Count > 0)
        {
            output.Table(["referenced assembly", "version", "resolved as"], model.References.Select(r => (IReadOnlyList<string?>)[r.Name, r.Version, r.Resolution]));
        }
        output.List("Host API types used", model.HostApiTypes);
        output.List("Host API members used", model.HostApiMembers);
        output.List("Plugin dependencies", [.. model.Dependencies.Select(d => $"{d.Id} {d.Versions}")]);
        if (model.Native is NativeModel native)
        {
            output.Line($"Native ABI major version: {native.AbiMajor}; unloadable: {(native.Unloadable ? "yes" : "no")}");
            foreach (NativeLibraryModel library in native.Libraries)
            {
                if (!library.Exists || library.Exports is null)
                {
                    output.Line($"{library.RuntimeIdentifier}: {library.File} ({(library.Exists ? $"{library.Format}, exports not listed" : "missing")})");
                }
                else
                {
                    output.List($"{library.RuntimeIdentifier}: {library.File} ({library.Format}) exports", library.Exports);
                }
            }
        }
        foreach (ProblemModel problem in plugin.Problems)
        {
            output.Problem(problem);
        }
        foreach (string warning in plugin.Warnings)
        {
            output.Styled("warning: " + warning, "yellow");
        }
        if (!model.HostApiChecked)
        {
            output.Line("Compatibility not checked: pass --host-api <assembly> to check it and to tell host API references from private ones.");
        }
    }
}
