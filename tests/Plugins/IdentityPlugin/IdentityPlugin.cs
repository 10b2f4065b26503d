using Plugboard;
using TestApi;

namespace IdentityPlugin;

/// <summary>Creates host types and works on host objects: the shared-identity scenario.</summary>
public sealed class IdentityPlugin(IPluginContext context) : ILedgerPlugin
{
    public string Name => "identity";

    public LedgerEntry Create(decimal amount, string memo) => new(amount, memo) { CreatedBy = context.PluginId };

    public void Apply(Ledger ledger)
    {
        ledger.Add(Create(ledger.Total, "doubled by plugin"));
        context.GetService(typeof(Journal)).As<Journal>()?.Write($"{context.PluginId} applied to a ledger of {ledger.Entries.Count} entries");
    }

    public string Describe() => $"{context.PluginId} {context.PluginVersion} sees Ledger from '{typeof(Ledger).Assembly.GetName().Name}' in context '{System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(typeof(Ledger).Assembly)?.Name}'";
}

internal static class ObjectExtensions
{
    public static T? As<T>(this object? value) where T : class => value as T;
}
