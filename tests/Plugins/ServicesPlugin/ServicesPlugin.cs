using Microsoft.Extensions.DependencyInjection;
using Plugboard;
using Plugboard.Hosting;
using TestApi;

namespace ServicesPlugin;

/// <summary>Registers the plugin's own services, in a container that lives and dies with this plugin version.</summary>
public sealed class Registration : IPluginServiceRegistration
{
    public void ConfigureServices(IServiceCollection services, IPluginContext context) => services.AddSingleton<CallCounter>();
}

/// <summary>A plugin-own service; says in the host's journal when its container disposes it.</summary>
public sealed class CallCounter(IPluginContext context) : IDisposable
{
    private int _calls;

    public int Next() => Interlocked.Increment(ref _calls);

    public void Dispose() => (context.GetService(typeof(Journal)) as Journal)?.Write($"{context.PluginId} {context.PluginVersion}: own services disposed");
}

/// <summary>Created through the host's dependency injection: a host service, a plugin-own service and the context.</summary>
public sealed class ServicesPlugin(Journal journal, CallCounter counter, IPluginContext context) : ILedgerPlugin
{
    public string Name => "services";

    public LedgerEntry Create(decimal amount, string memo) => new(amount, $"{memo} #{counter.Next()}") { CreatedBy = context.PluginId };

    public void Apply(Ledger ledger)
    {
        ledger.Add(Create(1m, "services"));
        journal.Write($"{context.PluginId} applied to a ledger of {ledger.Entries.Count} entries");
    }

    public string Describe() => $"{context.PluginId} {context.PluginVersion} call {counter.Next()}";
}
