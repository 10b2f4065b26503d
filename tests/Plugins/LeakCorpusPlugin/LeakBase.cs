using TestApi;

namespace LeakCorpusPlugin;

/// <summary>
/// The leak corpus: one entry type per way a plugin can outlive its unload. A test picks one type through
/// plugin.json's entryTypes, so each plugin loaded leaks exactly one way (one project keeps the build short).
/// </summary>
public abstract class Leak : ILedgerPlugin
{
    public string Name => GetType().Name;

    public LedgerEntry Create(decimal amount, string memo) => new(amount, memo);

    public virtual void Apply(Ledger ledger) { }

    public string Describe() => "leaks one way";
}

/// <summary>A plugin-owned type that reflection-based serializers cache metadata for.</summary>
public sealed class PluginRecord
{
    public string Memo { get; set; } = "memo";

    public decimal Amount { get; set; } = 1m;
}

/// <summary>A plugin object other code ends up holding.</summary>
public sealed class PluginPayload
{
    public byte[] Data { get; } = new byte[64];
}
