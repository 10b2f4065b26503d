using TestApi;

namespace DriftPlugin;

/// <summary>Built against a TestApi labelled 1.2 that has an extra member: only the surface check can tell.</summary>
public sealed class DriftPlugin : ILedgerPlugin
{
    public string Name => "drift";

    public LedgerEntry Create(decimal amount, string memo) => new(amount, memo);

    public void Apply(Ledger ledger)
    {
        if (!LedgerAudit.IsBalanced(ledger, 0m))
        {
            ledger.Add(new LedgerEntry(-ledger.Total, "balance"));
        }
    }

    public string Describe() => "drifted";
}
