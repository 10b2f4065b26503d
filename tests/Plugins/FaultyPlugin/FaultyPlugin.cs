using TestApi;

namespace FaultyPlugin;

/// <summary>Fails every call to Create: the host must fault it after its threshold, keeping the errors.</summary>
public sealed class Faulty : ILedgerPlugin
{
    private int _calls;

    public string Name => "faulty";

    public LedgerEntry Create(decimal amount, string memo) =>
        throw new InvalidOperationException($"the backing service is down (call {Interlocked.Increment(ref _calls)})");

    public void Apply(Ledger ledger) { }

    public string Describe() => "faulty";
}
