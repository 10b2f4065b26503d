using IsolationApi;

namespace ProbeUser;

/// <summary>Depends on probe-base: its Echo quotes with probe-base's <c>Phrases</c>.</summary>
public sealed class UserProbe : IProbe
{
    public int ProcessId() => Environment.ProcessId;

    public string Echo(string text) => $"probe-user: {ProbeBase.Phrases.Quote(text)}";

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
