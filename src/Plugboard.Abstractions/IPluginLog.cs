namespace Plugboard;

/// <summary>
/// A minimal log a plugin writes to. It is deliberately not <c>ILogger</c>: sharing a logging library
/// into every plugin would force one version of it on all of them.
/// </summary>
/// <remarks>Safe to call from any thread.</remarks>
public interface IPluginLog
{
    /// <summary>Writes one message.</summary>
    /// <param name="level">How severe the message is.</param>
    /// <param name="message">The text; the host adds the plugin id.</param>
    /// <param name="exception">An exception to attach, if any.</param>
    void Write(PluginLogLevel level, string message, Exception? exception = null);
}
