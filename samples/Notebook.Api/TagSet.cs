using System.Collections;

namespace Notebook.Api;

/// <summary>A set of tags kept in their normalized form (see <see cref="TextTools.Slugify"/>), in insertion order.</summary>
public sealed class TagSet : IReadOnlyCollection<string>
{
    private readonly List<string> _order = [];
    private readonly HashSet<string> _members = new(StringComparer.Ordinal);

    /// <summary>Number of tags.</summary>
    public int Count => _order.Count;

    /// <summary>Adds a tag after normalizing it.</summary>
    /// <param name="tag">Any text; it is slugified.</param>
    /// <returns>True when the tag was new.</returns>
    public bool Add(string tag)
    {
        string slug = TextTools.Slugify(tag);
        if (slug.Length == 0 || !_members.Add(slug))
        {
            return false;
        }
        _order.Add(slug);
        return true;
    }

    /// <summary>Whether the set holds the tag (compared after normalizing).</summary>
    /// <param name="tag">Any text.</param>
    /// <returns>True when present.</returns>
    public bool Contains(string tag) => _members.Contains(TextTools.Slugify(tag));

    /// <inheritdoc />
    public IEnumerator<string> GetEnumerator() => _order.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public override string ToString() => string.Join(", ", _order);
}
