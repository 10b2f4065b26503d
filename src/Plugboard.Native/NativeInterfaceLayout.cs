namespace Plugboard.Native;

/// <summary>
/// The layout of an exported interface as this host was built with it: its versioned id and, per member in table order,
/// its name and layout hash (the <c>MemberHashes</c> of the file <c>plugboard bindgen --lang csharp-aot</c> emits, or of
/// the generated proxy). A plugin's manifest records the hashes its bindings were emitted with
/// (<c>native.interfaces</c>); the loader compares the two before the library is opened and refuses a plugin whose
/// members differ (PB0418). Appending members keeps an id compatible: a plugin that knows fewer members loads.
/// </summary>
public sealed class NativeInterfaceLayout
{
    /// <summary>Creates a layout.</summary>
    /// <param name="id">The versioned id, e.g. <c>notebook.notes/1</c>.</param>
    /// <param name="memberNames">Each member as the host author knows it (<c>AddTag(string)</c>), in table order.</param>
    /// <param name="memberHashes">Each member's layout hash, in table order.</param>
    public NativeInterfaceLayout(string id, IReadOnlyList<string> memberNames, ReadOnlySpan<ulong> memberHashes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentNullException.ThrowIfNull(memberNames);
        if (!id.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Interface id '{id}' has no version; use 'name/major', e.g. 'notebook.notes/1'.", nameof(id));
        }
        if (memberNames.Count != memberHashes.Length)
        {
            throw new ArgumentException($"{memberNames.Count} member names but {memberHashes.Length} hashes.", nameof(memberHashes));
        }
        Id = id;
        MemberNames = [.. memberNames];
        MemberHashes = memberHashes.ToArray();
    }

    /// <summary>The versioned id.</summary>
    public string Id { get; }

    /// <summary>The members as the host author knows them, in table order.</summary>
    public IReadOnlyList<string> MemberNames { get; }

    /// <summary>The members' layout hashes, in table order.</summary>
    public IReadOnlyList<ulong> MemberHashes { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Id} ({MemberHashes.Count} members)";
}
