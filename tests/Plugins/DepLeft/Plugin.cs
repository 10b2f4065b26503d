using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using DepBase;
using TestApi;

namespace DepLeft;

/// <summary>Depends on dep-base and uses its Greeter type.</summary>
public sealed class Plugin : ILedgerPlugin
{
    public string Name => "dep-left";

    public LedgerEntry Create(decimal amount, string memo) => new(amount, new Greeter().Greet(memo));

    public void Apply(Ledger ledger) { }

    /// <summary>Where the Greeter type this plugin sees comes from, and which Type object it is.</summary>
    public string Describe() => $"{AssemblyLoadContext.GetLoadContext(typeof(Greeter).Assembly)!.Name}#{RuntimeHelpers.GetHashCode(typeof(Greeter))}";
}
