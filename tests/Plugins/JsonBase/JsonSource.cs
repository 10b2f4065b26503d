using Newtonsoft.Json.Linq;
using TestApi;

namespace JsonBase;

/// <summary>Public API of this plugin for its dependents, returning a third-party type.</summary>
public static class JsonSource
{
    public static JObject Make(string memo) => new() { ["memo"] = memo };
}

public sealed class BasePlugin : ILedgerPlugin
{
    public string Name => "json-base";

    public LedgerEntry Create(decimal amount, string memo) => new(amount, (string)JsonSource.Make(memo)["memo"]!);

    public void Apply(Ledger ledger) { }

    public string Describe() => "json-base";
}
