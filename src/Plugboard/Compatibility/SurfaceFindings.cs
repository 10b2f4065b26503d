namespace Plugboard.Compatibility;

/// <summary>What the surface and implementation checks found wrong, in the words the errors use, each listed once.</summary>
internal sealed class SurfaceFindings
{
    private readonly List<string> _missing = [];
    private readonly List<string> _inaccessible = [];
    private readonly List<string> _notImplemented = [];

    /// <summary>Types and members the plugin uses that the host's API does not have (PB0202).</summary>
    public IReadOnlyList<string> Missing => _missing;

    /// <summary>Types and members that exist but that the plugin may not use from its assembly (PB0209).</summary>
    public IReadOnlyList<string> Inaccessible => _inaccessible;

    /// <summary>Abstract API members a plugin type must implement and does not, or sealed API bases (PB0208).</summary>
    public IReadOnlyList<string> NotImplemented => _notImplemented;

    public bool IsEmpty => _missing.Count == 0 && _inaccessible.Count == 0 && _notImplemented.Count == 0;

    public void AddMissing(string item) => AddOnce(_missing, item);

    public void AddInaccessible(string item) => AddOnce(_inaccessible, item);

    public void AddNotImplemented(string item) => AddOnce(_notImplemented, item);

    private static void AddOnce(List<string> list, string item)
    {
        if (!list.Contains(item))
        {
            list.Add(item);
        }
    }
}
