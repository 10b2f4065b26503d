using Plugboard;
using TestApi;

namespace ReloadablePlugin;

/// <summary>Counts its calls and hands the count to its successor. V2 and BROKEN builds come from the same source.</summary>
public sealed class Counter : ILedgerPlugin, IPluginStateTransfer
{
#if V2
    private const string Build = "v2";
#else
    private const string Build = "v1";
#endif
    private long _calls;

    public Counter()
    {
#if BROKEN
        throw new InvalidOperationException("this build is broken on purpose");
#endif
    }

    public string Name => "counter";

    public LedgerEntry Create(decimal amount, string memo) => new(Interlocked.Increment(ref _calls), $"{Build}:{memo}");

    public void Apply(Ledger ledger) => ledger.Add(Create(0m, "apply"));

    public string Describe() => $"{Build}:{Interlocked.Read(ref _calls)}";

    public object? ExportState() => Interlocked.Read(ref _calls);

    public void ImportState(object state) => _calls = (long)state;
}
