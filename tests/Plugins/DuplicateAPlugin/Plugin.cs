using Plugboard;
using TestApi;

[assembly: PluginId("twin")]

namespace DuplicateAPlugin;

public sealed class Twin : ILedgerPlugin
{
    public string Name => "twin-A";

    public LedgerEntry Create(decimal amount, string memo) => new(amount, memo);

    public void Apply(Ledger ledger) { }

    public string Describe() => "A";
}
