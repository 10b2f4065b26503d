namespace TestApi;

/// <summary>A host data structure plugins read and change.</summary>
public sealed class Ledger
{
    private readonly List<LedgerEntry> _entries = [];

    public IReadOnlyList<LedgerEntry> Entries => _entries;

    public decimal Total => _entries.Sum(e => e.Amount);

    public void Add(LedgerEntry entry) => _entries.Add(entry);
}

/// <summary>A host type plugins create and hand back.</summary>
public sealed record LedgerEntry(decimal Amount, string Memo)
{
    public string CreatedBy { get; init; } = "host";
}

/// <summary>The contract test plugins implement.</summary>
public interface ILedgerPlugin
{
    string Name { get; }

    /// <summary>Creates an entry (a host type, from plugin code).</summary>
    LedgerEntry Create(decimal amount, string memo);

    /// <summary>Works on a host object.</summary>
    void Apply(Ledger ledger);

    /// <summary>Free text about the plugin, e.g. a dependency's version.</summary>
    string Describe();
}

/// <summary>A host service plugins reach through their context; records what plugins did.</summary>
public sealed class Journal
{
    private readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public void Write(string line)
    {
        lock (_lines)
        {
            _lines.Add(line);
        }
    }
}

/// <summary>A host type with a static event: the classic way a plugin leaks itself into the host.</summary>
public static class HostEvents
{
    public static event EventHandler<string>? Tick;

    public static int Raise(string what)
    {
        Tick?.Invoke(null, what);
        return Tick?.GetInvocationList().Length ?? 0;
    }
}

/// <summary>A token the host owns for its whole life: a callback a plugin registers on it stays until it is disposed.</summary>
public static class HostSignals
{
    private static readonly CancellationTokenSource Source = new();

    public static CancellationToken Shutdown => Source.Token;
}

/// <summary>Host worker threads a plugin can ask for; they run until <see cref="StopAll"/> and capture the caller's ExecutionContext.</summary>
public static class HostWorkers
{
    private static readonly List<(Thread Thread, ManualResetEventSlim Stop)> Workers = [];

    public static void Start()
    {
        var stop = new ManualResetEventSlim(false);
        var thread = new Thread(() => stop.Wait()) { IsBackground = true, Name = "host-worker" };
        thread.Start();
        lock (Workers)
        {
            Workers.Add((thread, stop));
        }
    }

    public static void StopAll()
    {
        lock (Workers)
        {
            foreach ((Thread thread, ManualResetEventSlim stop) in Workers)
            {
                stop.Set();
                thread.Join(TimeSpan.FromSeconds(5));
            }
            Workers.Clear();
        }
    }
}
