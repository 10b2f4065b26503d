using System.ComponentModel;
using System.Runtime.Loader;
using TestApi;

namespace TypeConverterPlugin;

/// <summary>Converts through TypeDescriptor and says which load context its TypeDescriptor came from.</summary>
public sealed class TypeConverterPlugin : ILedgerPlugin
{
    public string Name => "type-converter";

    public LedgerEntry Create(decimal amount, string memo) => new((decimal)TypeDescriptor.GetConverter(typeof(decimal)).ConvertFromInvariantString(amount.ToString(System.Globalization.CultureInfo.InvariantCulture))!, memo);

    public void Apply(Ledger ledger) => ledger.Add(Create(1m, "converted"));

    public string Describe() => AssemblyLoadContext.GetLoadContext(typeof(TypeDescriptor).Assembly)?.Name ?? "none";
}
