namespace TestApi;

/// <summary>Exists only in the drifted build.</summary>
public static class LedgerAudit
{
    public static bool IsBalanced(Ledger ledger, decimal expected) => ledger.Total == expected;
}
