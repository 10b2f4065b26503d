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
