namespace TestApi;

/// <summary>Added in 1.3.</summary>
public static class LedgerArchive
{
    public static int Archive(Ledger ledger) => ledger.Entries.Count;
}
