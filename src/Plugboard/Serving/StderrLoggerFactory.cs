using Microsoft.Extensions.Logging;
using Plugboard.Isolation;

namespace Plugboard.Serving;

/// <summary>
/// The worker's logging: every message (its plugin's and its own loader's) as one line of standard error, which the
/// host reads and logs under the plugin's id at the message's level (<see cref="PluginLogLine"/>).
/// </summary>
internal sealed class StderrLoggerFactory : ILoggerFactory
{
    private static readonly Lock Gate = new();

    public ILogger CreateLogger(string categoryName) => new StderrLogger();

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class StderrLogger : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel is >= LogLevel.Information and < LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }
            string message = formatter(state, exception) + (exception is null ? string.Empty : Environment.NewLine + exception);
            lock (Gate)
            {
                Console.Error.WriteLine(WorkerProcess.LogLinePrefix + PluginLogLine.Format(logLevel, message));
            }
        }
    }
}
