using Microsoft.Extensions.Logging;

namespace Plugboard.TestSupport;

/// <summary>A logger factory (or, in a generic host, a logger provider) that keeps every entry written: level, event id, category and formatted text.</summary>
internal sealed class CapturingLog : ILoggerFactory, ILoggerProvider
{
    private readonly List<Written> _entries = [];

    public sealed record Written(LogLevel Level, EventId EventId, string Category, string Message, Exception? Exception);

    public IReadOnlyList<Written> Entries
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries];
            }
        }
    }

    /// <summary>The entries that mention <paramref name="text"/> at warning level or above: the problems reported.</summary>
    public IReadOnlyList<Written> Problems(string text) =>
        [.. Entries.Where(e => e.Level >= LogLevel.Warning && e.Message.Contains(text, StringComparison.Ordinal))];

    public void AddProvider(ILoggerProvider provider) { }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    private sealed class Logger(CapturingLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (log._entries)
            {
                log._entries.Add(new Written(logLevel, eventId, category, formatter(state, exception), exception));
            }
        }
    }
}
