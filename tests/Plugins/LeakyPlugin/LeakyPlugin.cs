using TestApi;

namespace LeakyPlugin;

/// <summary>Leaks on purpose: a handler on a static host event and a thread that never ends.</summary>
public sealed class Leaky : ILedgerPlugin
{
    private static readonly ManualResetEventSlim Forever = new(false);

    public Leaky()
    {
        HostEvents.Tick += OnTick;
        new Thread(() => Forever.Wait()) { IsBackground = true, Name = "leaky-plugin-thread" }.Start();
    }

    public string Name => "leaky";

    public LedgerEntry Create(decimal amount, string memo) => new(amount, memo);

    public void Apply(Ledger ledger) { }

    public string Describe() => "leaks";

    private void OnTick(object? sender, string what) { }
}
