using TestApi;

namespace NoCtorPlugin;

/// <summary>Implements the contract but can only be created through a factory the host knows nothing about.</summary>
public sealed class Hidden : ILedgerPlugin
{
    private Hidden(int seed) => Seed = seed;

    public int Seed { get; }

    public static Hidden Create(int seed) => new(seed);

    public string Name => "hidden";

    public LedgerEntry Create(decimal amount, string memo) => new(amount, memo);

    public void Apply(Ledger ledger) { }

    public string Describe() => "hidden";
}
