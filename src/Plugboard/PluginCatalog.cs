namespace Plugboard;

/// <summary>
/// The plugins found in a folder, compatible or not, as read from their files. Building a catalog loads no
/// assembly into any context, runs no plugin code and leaves no file open.
/// </summary>
public sealed class PluginCatalog
{
    internal PluginCatalog(string directory, IReadOnlyList<PluginCatalogEntry> entries)
    {
        Directory = directory;
        Entries = entries;
    }

    /// <summary>The folder that was scanned.</summary>
    public string Directory { get; }

    /// <summary>Every plugin folder found, in ordinal order of folder name.</summary>
    public IReadOnlyList<PluginCatalogEntry> Entries { get; }

    /// <summary>The entries this host can load.</summary>
    public IEnumerable<PluginCatalogEntry> Compatible => Entries.Where(e => e.IsCompatible);

    /// <summary>The entries this host cannot load, each with its problems.</summary>
    public IEnumerable<PluginCatalogEntry> Incompatible => Entries.Where(e => !e.IsCompatible);

    /// <summary>Finds an entry by id (case-insensitive).</summary>
    /// <param name="id">The plugin id.</param>
    /// <returns>The entry, or null.</returns>
    public PluginCatalogEntry? Find(string id) => Entries.FirstOrDefault(e => string.Equals(e.Id, id, StringComparison.OrdinalIgnoreCase));
}
