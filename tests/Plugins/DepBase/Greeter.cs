using TestApi;

namespace DepBase;

/// <summary>A type other plugins use: it must have one identity for all of them.</summary>
public sealed class Greeter
{
    public static int Created;

    public Greeter() => Interlocked.Increment(ref Created);

    public string Greet(string who) => $"hello {who} from dep-base";
}

public sealed class BasePlugin : ILedgerPlugin
{
    public string Name => "dep-base";

    public LedgerEntry Create(decimal amount, string memo) => new(amount, new Greeter().Greet(memo));

    public void Apply(Ledger ledger) { }

    public string Describe() => "base";
}
