using JsonBase;
using Newtonsoft.Json.Linq;
using TestApi;

namespace JsonUser;

/// <summary>Calls json-base's JsonSource.Make, whose signature names JObject.</summary>
public sealed class Plugin : ILedgerPlugin
{
    public string Name => "json-user";

    public LedgerEntry Create(decimal amount, string memo)
    {
        JObject made = JsonSource.Make(memo);
        return new(amount, (string)made["memo"]!);
    }

    public void Apply(Ledger ledger) { }

    public string Describe() => "json-user";
}
