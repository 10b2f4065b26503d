using TestApi;

namespace NewerMinorPlugin;

/// <summary>Built against TestApi 1.3 and uses a member 1.2 lacks.</summary>
public sealed class NewerMinorPlugin : ILedgerPlugin
{
    public string Name => "newer-minor";

    public LedgerEntry Create(decimal amount, string memo) => new(amount, memo);

    public void Apply(Ledger ledger) => ledger.Add(new LedgerEntry(LedgerArchive.Archive(ledger), "archived"));

    public string Describe() => "built against 1.3";
}
