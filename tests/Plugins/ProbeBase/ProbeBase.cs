using IsolationApi;

namespace ProbeBase;

/// <summary>A type another plugin (probe-user) uses: it lives in this plugin's context and is shared with its dependents.</summary>
public static class Phrases
{
    public static string Quote(string text) => $"\u201c{text}\u201d, as probe-base says";
}

/// <summary>A plain probe: what matters here is <see cref="Phrases"/>, which probe-user depends on.</summary>
public sealed class BaseProbe : IProbe
{
    public int ProcessId() => Environment.ProcessId;

    public string Echo(string text) => Phrases.Quote(text);

    public Receipt Tally(Order order) => throw new NotSupportedException();

    public Task<Receipt> TallyAsync(Order order) => throw new NotSupportedException();

    public void Throw(string message) => throw new InvalidOperationException(message);

    public string Crash(CrashKind kind) => throw new NotSupportedException();

    public string Hang() => throw new NotSupportedException();

    public int Hog() => throw new NotSupportedException();

    public int HogNative() => throw new NotSupportedException();

    public Task<string> WaitForCancelAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

    public int CollectWords(string text, IWordSink words) => throw new NotSupportedException();

    public void AddLater(string word) => throw new NotSupportedException();

    public string Setting(string key) => throw new NotSupportedException();

    public IReadOnlyList<string> Remember(string item) => throw new NotSupportedException();
}
