using System.Collections.Immutable;
using System.Runtime.Loader;
using TestApi;

namespace ImmutablePlugin;

/// <summary>Keeps its memos in an immutable list and says which load context and version its System.Collections.Immutable came from.</summary>
public sealed class ImmutablePlugin : ILedgerPlugin
{
    private ImmutableList<string> _memos = [];

    public string Name => "immutable";

    public LedgerEntry Create(decimal amount, string memo)
    {
        _memos = _memos.Add(memo);
        return new(amount, memo);
    }

    public void Apply(Ledger ledger) => ledger.Add(Create(1m, $"{_memos.Count} memos"));

    public string Describe() =>
        $"{AssemblyLoadContext.GetLoadContext(typeof(ImmutableList).Assembly)?.Name} {typeof(ImmutableList).Assembly.GetName().Version}";
}
