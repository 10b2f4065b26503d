namespace IsolationApi;

/// <summary>The contract of the out-of-process tests: data in and out, plugin exceptions, and every way to end a process.</summary>
public interface IProbe
{
    /// <summary>The process the plugin runs in.</summary>
    int ProcessId();

    string Echo(string text);

    /// <summary>Host data in, host data out.</summary>
    Receipt Tally(Order order);

    Task<Receipt> TallyAsync(Order order);

    /// <summary>Throws an InvalidOperationException with <paramref name="message"/>.</summary>
    void Throw(string message);

    /// <summary>Ends the plugin's process the way <paramref name="kind"/> says, while this call is in flight; never returns.</summary>
    string Crash(CrashKind kind);

    /// <summary>Never returns.</summary>
    string Hang();

    /// <summary>Allocates and keeps 1 MiB arrays until the runtime refuses.</summary>
    int Hog();

    /// <summary>Allocates and touches 1 MiB blocks of native memory (outside the GC heap), at most 4 GiB; frees them and returns how many it got.</summary>
    int HogNative();

    /// <summary>Waits until <paramref name="cancellationToken"/> is cancelled, then throws OperationCanceledException.</summary>
    Task<string> WaitForCancelAsync(CancellationToken cancellationToken);

    /// <summary>Adds each word of <paramref name="text"/> to the host's <paramref name="words"/> (a callback into the host per word); the count the host's object reports after.</summary>
    int CollectWords(string text, IWordSink words);

    /// <summary>Adds a word to the sink the last <see cref="CollectWords"/> got, after that call returned.</summary>
    void AddLater(string word);

    /// <summary>The settings value the plugin got for <paramref name="key"/> through its context, and whether its initialize hook ran.</summary>
    string Setting(string key);

    /// <summary>Adds <paramref name="item"/> to what the plugin remembers (its state); everything it remembers, oldest first.</summary>
    IReadOnlyList<string> Remember(string item);
}

/// <summary>What a probe remembers, as it hands it over to its next instance (a host API type: it crosses as JSON).</summary>
public sealed record ProbeMemory(IReadOnlyList<string> Items);

/// <summary>A host object a plugin calls back into: passed by handle out of process.</summary>
public interface IWordSink
{
    void Add(string word);

    int Count { get; }

    Task<string> DescribeAsync();
}

public enum CrashKind
{
    /// <summary>An exception on a thread the plugin started.</summary>
    ThreadException,
    /// <summary>Environment.FailFast.</summary>
    FailFast,
    /// <summary>Environment.Exit(42).</summary>
    Exit42,
    /// <summary>Unbounded recursion.</summary>
    StackOverflow,
    /// <summary>Waits to be killed from outside.</summary>
    WaitForKill,
}

public sealed record Order(string Customer, IReadOnlyList<OrderLine> Lines);

public sealed record OrderLine(string Item, int Quantity, decimal Price);

public sealed record Receipt(string Customer, decimal Total, int Items, int ProcessId);
