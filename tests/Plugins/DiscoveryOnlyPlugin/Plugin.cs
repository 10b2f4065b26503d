using TestApi;

namespace DiscoveryOnlyPlugin;

/// <summary>Used only by the discovery test, which proves this assembly is never loaded.</summary>
public sealed class Plugin : ILedgerPlugin
{
    static Plugin() => Environment.SetEnvironmentVariable("PLUGBOARD_DISCOVERY_RAN_PLUGIN_CODE", "1");

    public string Name => "discovery-only";

    public LedgerEntry Create(decimal amount, string memo) => new(amount, memo);

    public void Apply(Ledger ledger) { }

    public string Describe() => Newtonsoft.Json.JsonConvert.SerializeObject(Name);
}
