namespace Plugboard;

/// <summary>Severity of a plugin log message; the values match <c>Microsoft.Extensions.Logging.LogLevel</c>.</summary>
public enum PluginLogLevel
{
    /// <summary>Very detailed diagnostics.</summary>
    Trace = 0,
    /// <summary>Diagnostics for developers.</summary>
    Debug = 1,
    /// <summary>Normal operation.</summary>
    Information = 2,
    /// <summary>Something unexpected that the plugin recovered from.</summary>
    Warning = 3,
    /// <summary>An operation failed.</summary>
    Error = 4,
    /// <summary>The plugin cannot go on.</summary>
    Critical = 5,
}
