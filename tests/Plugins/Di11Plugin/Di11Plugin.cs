using Microsoft.Extensions.DependencyInjection;
using TestApi;

namespace Di11Plugin;

/// <summary>Builds its own container with Microsoft.Extensions.DependencyInjection 11.</summary>
public sealed class Plugin : ILedgerPlugin
{
    public string Name => "di11";

    public LedgerEntry Create(decimal amount, string memo)
    {
        using ServiceProvider services = new ServiceCollection().AddSingleton(new Prefix("di11:")).BuildServiceProvider();
        return new(amount, services.GetRequiredService<Prefix>().Value + memo);
    }

    public void Apply(Ledger ledger) { }

    public string Describe() => typeof(ServiceCollection).Assembly.GetName().Version!.ToString();

    private sealed record Prefix(string Value);
}
