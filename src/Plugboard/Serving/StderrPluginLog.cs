using Microsoft.Extensions.Logging;

namespace Plugboard.Serving;

/// <summary>
/// A native plugin's log in its worker: each line through the worker's logger (standard error), which the host logs
/// under the plugin's id at its level, as the managed plugins' <see cref="IPluginContext.Log"/>.
/// </summary>
internal sealed class StderrPluginLog(ILogger logger) : IPluginLog
{
    public void Write(PluginLogLevel level, string message, Exception? exception = null) =>
        Internal.Log.PluginWrote(logger, (LogLevel)level, exception, message);
}
