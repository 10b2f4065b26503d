using Plugboard;
using TestApi;

[assembly: PluginId("twin")]

namespace DuplicateBPlugin;

public sealed class Twin : ILedgerPlugin
{
    public string Name => "twin-B";

    public LedgerEntry Create(decimal amount, string memo) => new(amount, memo);

    public void Apply(Ledger ledger) { }

    public string Describe() => "B";
}
