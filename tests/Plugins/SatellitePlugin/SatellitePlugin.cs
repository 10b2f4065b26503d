using System.Globalization;
using System.Resources;
using TestApi;

namespace SatellitePlugin;

/// <summary>Localized through a satellite resource assembly (fr/SatellitePlugin.resources.dll).</summary>
public sealed class SatellitePlugin : ILedgerPlugin
{
    private static readonly ResourceManager Strings = new("SatellitePlugin.Strings", typeof(SatellitePlugin).Assembly);

    public string Name => "satellite";

    public LedgerEntry Create(decimal amount, string memo) => new(amount, memo);

    public void Apply(Ledger ledger) { }

    public string Describe() => Strings.GetString("Greeting", CultureInfo.GetCultureInfo("fr"))!;
}
