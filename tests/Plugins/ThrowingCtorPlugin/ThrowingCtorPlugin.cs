using TestApi;

namespace ThrowingCtorPlugin;

public sealed class ThrowingCtorPlugin : ILedgerPlugin
{
    public ThrowingCtorPlugin() => throw new InvalidOperationException("the plugin's config file is missing");

    public string Name => "throws";

    public LedgerEntry Create(decimal amount, string memo) => new(amount, memo);

    public void Apply(Ledger ledger) { }

    public string Describe() => "never";
}
