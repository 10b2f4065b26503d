namespace Plugboard;

/// <summary>A plugin that did not load, with every reason.</summary>
/// <param name="Entry">The catalog entry.</param>
/// <param name="Errors">Why; the first is the one that stopped loading.</param>
public sealed record PluginFailure(PluginCatalogEntry Entry, IReadOnlyList<PluginException> Errors)
{
    /// <summary>The first error.</summary>
    public PluginException Error => Errors[0];

    /// <inheritdoc />
    public override string ToString() => Error.Message;
}
