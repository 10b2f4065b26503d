using Plugboard;
using TestApi;

namespace LifecyclePlugin;

/// <summary>Records every hook in the host's journal; behaviour is driven by its settings.</summary>
public sealed class LifecyclePlugin : ILedgerPlugin, IPluginLifecycle
{
    private IPluginContext? _context;
    private Journal? _journal;

    public string Name => "lifecycle";

    public async Task InitializeAsync(IPluginContext context, CancellationToken cancellationToken)
    {
        _context = context;
        _journal = (Journal?)context.GetService(typeof(Journal));
        _journal?.Write($"init {context.PluginId} greeting={context.Settings.GetValueOrDefault("Greeting", "none")}");
        context.Log.Write(PluginLogLevel.Information, "initialized");
        switch (context.Settings.GetValueOrDefault("Init"))
        {
            case "throw":
                throw new InvalidOperationException("cannot reach the license server");
            case "hang":
                await Task.Delay(Timeout.Infinite, CancellationToken.None);
                break;
            case "block":
                Thread.Sleep(Timeout.Infinite);
                break;
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _journal?.Write("start");
        switch (_context?.Settings.GetValueOrDefault("Start"))
        {
            case "block":
                Thread.Sleep(Timeout.Infinite);
                break;
            case "wait":
                // Honours its token: ends when the host cancels it (or its deadline passes).
                await Task.Delay(Timeout.Infinite, cancellationToken);
                break;
        }
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _journal?.Write("stop");
        switch (_context?.Settings.GetValueOrDefault("Stop"))
        {
            case "throw":
                throw new InvalidOperationException("flush failed");
            case "block":
                Thread.Sleep(Timeout.Infinite);
                break;
        }
        return Task.CompletedTask;
    }

    public LedgerEntry Create(decimal amount, string memo) => new(amount, memo);

    public void Apply(Ledger ledger) => _journal?.Write("apply");

    public string Describe() => "lifecycle";
}
