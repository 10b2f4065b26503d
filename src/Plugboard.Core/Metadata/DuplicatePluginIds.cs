namespace Plugboard.Metadata;

/// <summary>
/// The one rule for plugin folders that declare the same id (case-insensitive): all of them are refused with PB0105,
/// since loading either would be a guess. The catalog applies it to managed and native entries, the native loader's
/// LoadAll to the folders it is given.
/// </summary>
internal static class DuplicatePluginIds
{
    /// <summary>Every id declared by more than one folder, with those folders in the order given.</summary>
    public static Dictionary<string, List<string>> Find(IEnumerable<(string Directory, string? Id)> folders) =>
        folders.Where(f => f.Id is not null).GroupBy(f => f.Id!, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1)
            .ToDictionary(g => g.Key, g => g.Select(f => f.Directory).ToList(), StringComparer.OrdinalIgnoreCase);

    /// <summary>The error for one of the folders sharing <paramref name="id"/>.</summary>
    public static PluginException Error(string id, string directory, IReadOnlyCollection<string> folders) =>
        new(PluginErrorCode.DuplicatePluginId, id, directory,
            $"{folders.Count} plugin folders declare the id '{id}': {string.Join(", ", folders)}. Loading either would be a guess, so none is loaded.",
            "Remove the stale copy, or give one of them a different id (plugin.json 'id' or [assembly: PluginId]).");
}
