using Plugboard;
using TestApi;

[assembly: PluginEntry(typeof(BadEntryPlugin.AbstractEntry))]

namespace BadEntryPlugin;

/// <summary>Declared as the entry point, but abstract.</summary>
public abstract class AbstractEntry : ILedgerPlugin
{
    public string Name => "abstract";

    public LedgerEntry Create(decimal amount, string memo) => new(amount, memo);

    public abstract void Apply(Ledger ledger);

    public string Describe() => "abstract";
}
