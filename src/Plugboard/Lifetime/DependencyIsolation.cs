namespace Plugboard.Lifetime;

/// <summary>
/// The rule for a plugin that depends on another plugin (<c>plugin.json</c> <c>dependencies</c>: it uses that plugin's
/// types): the two share those types through one process's load contexts, so both must run in the host's process. A
/// dependent that would run out of process, or whose dependency does, is refused before any of its code loads; the
/// plugin it depends on is not affected. (Loading the dependent in process beside an isolated dependency would also
/// load that dependency's code into the host, which its isolation, perhaps forced by the trust policy, forbids.)
/// </summary>
internal static class DependencyIsolation
{
    /// <param name="entry">The plugin about to load.</param>
    /// <param name="isolation">Where it would run.</param>
    /// <param name="dependencies">The held plugins it declares as dependencies, each with where it runs.</param>
    /// <returns>PB0713 when a dependency crosses the process boundary; else null.</returns>
    public static PluginException? Check(PluginCatalogEntry entry, PluginIsolation isolation, IReadOnlyList<(string Id, PluginIsolation Isolation)> dependencies)
    {
        foreach ((string id, PluginIsolation dependencyIsolation) in dependencies)
        {
            if (isolation == PluginIsolation.InProcess && dependencyIsolation == PluginIsolation.InProcess)
            {
                continue;
            }
            string where = (isolation, dependencyIsolation) switch
            {
                (PluginIsolation.OutOfProcess, PluginIsolation.OutOfProcess) => "both run out of process, each in a worker of its own",
                (PluginIsolation.OutOfProcess, _) => $"{entry.Id} runs out of process",
                _ => $"{id} runs out of process",
            };
            return new PluginException(PluginErrorCode.DependencyAcrossProcesses, entry.Id, entry.Directory,
                $"Plugin '{entry.Id}' depends on plugin '{id}' (it uses its types), and {where}: a plugin shares its types with the plugins that depend on it in one process only, so '{entry.Id}' was not loaded ('{id}' serves on).",
                $"Run both in process (PluginIsolationOptions, the plugin.json isolation request, the lock file), or move what '{entry.Id}' uses of '{id}' into the host API; isolating one of them means it stops sharing types with the other.");
        }
        return null;
    }
}
