using IsolationApi;

namespace SteadyPlugin;

/// <summary>A probe that never crashes: the neighbour whose calls must keep working while another plugin's worker dies.</summary>
public sealed class SteadyProbe : IProbe
{
    public int ProcessId() => Environment.ProcessId;

    public string Echo(string text) => $"steady: {text}";

    public Receipt Tally(Order order) => new(order.Customer, order.Lines.Sum(l => l.Quantity * l.Price), order.Lines.Sum(l => l.Quantity), Environment.ProcessId);

    public Task<Receipt> TallyAsync(Order order) => Task.FromResult(Tally(order));

    public void Throw(string message) => throw new NotSupportedException(message);

    public string Crash(CrashKind kind) => "steady plugins do not crash";

    public string Hang() => "steady plugins do not hang";

    public int Hog() => 0;

    public IReadOnlyList<string> Remember(string item) => [item];

    public int HogNative() => 0;

    public int CollectWords(string text, IWordSink words) => 0;

    public void AddLater(string word) { }

    public Task<string> WaitForCancelAsync(CancellationToken cancellationToken) => Task.FromResult("steady plugins do not wait");

    public string Setting(string key) => "(none)";
}
