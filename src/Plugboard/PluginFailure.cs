namespace Plugboard;

/// <summary>A plugin that did not load, with every reason.</summary>
public sealed class PluginFailure
{
    internal PluginFailure(PluginCatalogEntry entry, IReadOnlyList<PluginException> errors)
    {
        Entry = entry;
        Errors = errors;
    }

    /// <summary>The catalog entry.</summary>
    public PluginCatalogEntry Entry { get; }

    /// <summary>Why; the first is the one that stopped loading.</summary>
    public IReadOnlyList<PluginException> Errors { get; }

    /// <summary>The first error.</summary>
    public PluginException Error => Errors[0];

    /// <inheritdoc />
    public override string ToString() => Error.Message;
}
