using System.Text;

namespace Plugboard.Native;

/// <summary>
/// The interfaces a host offers native plugins, by versioned id (<c>"notebook.notes/1"</c>). Each value is the
/// address of a function table that stays valid for the life of the process (or at least of every plugin that may
/// have looked it up). Plugins reach them through <c>host->get_interface</c>. Register before loading plugins;
/// lookups are thread-safe.
/// </summary>
public sealed class NativeHostInterfaces
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, nint> _tables = new(StringComparer.Ordinal);
    private readonly Dictionary<string, NativeInterfaceLayout> _layouts = new(StringComparer.Ordinal);
    private volatile KeyValuePair<byte[], nint>[] _snapshot = [];

    /// <summary>The registered ids.</summary>
    public IReadOnlyCollection<string> Ids
    {
        get
        {
            lock (_gate)
            {
                return [.. _tables.Keys];
            }
        }
    }

    /// <summary>Registers (or replaces) an interface.</summary>
    /// <param name="id">A versioned id: a name, a slash and the interface's major version, e.g. <c>notebook.notes/1</c>.</param>
    /// <param name="table">Address of the function table; must outlive every plugin that looks it up.</param>
    public void Register(string id, nint table)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        if (!id.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Interface id '{id}' has no version; use 'name/major', e.g. 'notebook.notes/1'.", nameof(id));
        }
        if (table == 0)
        {
            throw new ArgumentException("The interface table address is null.", nameof(table));
        }
        lock (_gate)
        {
            _tables[id] = table;
            _snapshot = [.. _tables.Select(pair => new KeyValuePair<byte[], nint>(Encoding.UTF8.GetBytes(pair.Key), pair.Value))];
        }
    }

    /// <summary>
    /// Registers (or replaces) an interface with its layout: a plugin whose manifest records other member hashes for
    /// this id (<c>native.interfaces</c>) is refused before its library is opened (PB0418).
    /// </summary>
    /// <param name="table">Address of the function table; must outlive every plugin that looks it up.</param>
    /// <param name="layout">The layout the table was generated from; its id is the interface's id.</param>
    public void Register(nint table, NativeInterfaceLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        Register(layout.Id, table);
        Expect(layout);
    }

    /// <summary>
    /// Declares the layout of an interface the host expects plugins to implement (a contract served by the plugin's
    /// <c>get_interface</c>), or of a host interface registered without one: the loader checks a plugin's recorded
    /// member hashes for that id against it before opening the library (PB0418).
    /// </summary>
    /// <param name="layout">The layout.</param>
    public void Expect(NativeInterfaceLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        lock (_gate)
        {
            _layouts[layout.Id] = layout;
        }
    }

    /// <summary>Every layout declared (<see cref="Register(nint, NativeInterfaceLayout)"/>, <see cref="Expect"/>): what an out-of-process worker's loader is given to check plugins against.</summary>
    public IReadOnlyCollection<NativeInterfaceLayout> Layouts
    {
        get
        {
            lock (_gate)
            {
                return [.. _layouts.Values];
            }
        }
    }

    /// <summary>The layout declared for an id (<see cref="Register(nint, NativeInterfaceLayout)"/>, <see cref="Expect"/>), or null.</summary>
    /// <param name="id">The versioned id.</param>
    /// <returns>The layout, or null when the host declared none (then a plugin's recorded hashes for it are not checked).</returns>
    public NativeInterfaceLayout? FindLayout(string id)
    {
        lock (_gate)
        {
            return _layouts.GetValueOrDefault(id);
        }
    }

    /// <summary>
    /// Checks the member hashes a plugin's manifest records (<see cref="Metadata.NativeManifestSection.Interfaces"/>)
    /// against the declared layouts, exactly as the loader does before it opens a library: what <c>plugboard verify</c>
    /// reports for a native plugin.
    /// </summary>
    /// <param name="pluginId">The plugin's id, for the error.</param>
    /// <param name="manifestPath">Its plugin.json, for the error.</param>
    /// <param name="recordedLayouts">Per interface id, the member hashes the plugin's bindings were emitted with.</param>
    /// <returns>Null when every layout the host declared matches; otherwise the PB0418 error naming the interface and the first member that differs.</returns>
    public PluginException? CheckLayouts(string pluginId, string manifestPath, IReadOnlyDictionary<string, IReadOnlyList<ulong>> recordedLayouts)
    {
        ArgumentNullException.ThrowIfNull(recordedLayouts);
        return Loading.InterfaceLayoutCheck.Find(pluginId, manifestPath, recordedLayouts, this);
    }

    /// <summary>Finds an interface by id.</summary>
    /// <param name="id">The versioned id.</param>
    /// <returns>The table address, or zero.</returns>
    public nint Find(string id) => Find(Encoding.UTF8.GetBytes(id));

    // Compares raw UTF-8 against a snapshot so a lookup from native code allocates nothing.
    internal nint Find(ReadOnlySpan<byte> utf8Id)
    {
        foreach (KeyValuePair<byte[], nint> entry in _snapshot)
        {
            if (utf8Id.SequenceEqual(entry.Key))
            {
                return entry.Value;
            }
        }
        return 0;
    }
}
