using Newtonsoft.Json;
using TestApi;

namespace Json13Plugin;

public sealed class JsonPlugin : ILedgerPlugin
{
    public string Name => "json13";

    public LedgerEntry Create(decimal amount, string memo) => JsonConvert.DeserializeObject<LedgerEntry>(JsonConvert.SerializeObject(new { Amount = amount, Memo = memo }))!;

    public void Apply(Ledger ledger) => ledger.Add(Create(1, JsonConvert.SerializeObject(ledger.Entries.Count)));

    public string Describe() => typeof(JsonConvert).Assembly.GetName().Version!.ToString();
}
