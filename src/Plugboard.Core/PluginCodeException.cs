namespace Plugboard;

/// <summary>
/// An exception thrown by plugin code, copied as text: its type name, message and stack trace. Plugboard never keeps
/// the plugin's own exception object, because its stack trace references the plugin's code and would keep an unloaded
/// plugin's context alive. Nothing is lost: the text is all there.
/// </summary>
public sealed class PluginCodeException : Exception
{
    private readonly string? _stackTrace;

    /// <summary>Copies <paramref name="original"/> (and its inner exceptions) into plain text.</summary>
    /// <param name="original">The plugin's exception.</param>
    public PluginCodeException(Exception original)
        : base(original?.Message, original?.InnerException is Exception inner ? new PluginCodeException(inner) : null)
    {
        ArgumentNullException.ThrowIfNull(original);
        OriginalType = original.GetType().FullName ?? original.GetType().Name;
        _stackTrace = original.StackTrace;
        HResult = original.HResult;
    }

    /// <summary>
    /// Rebuilds, from its text, an exception that plugin code threw in another process (an out-of-process plugin's
    /// worker): the exception object itself never crosses the process boundary.
    /// </summary>
    /// <param name="originalType">The full name of the plugin exception's type.</param>
    /// <param name="message">Its message.</param>
    /// <param name="stackTrace">Its stack trace as the plugin's process printed it.</param>
    /// <param name="innerException">Its inner exception, rebuilt the same way.</param>
    public PluginCodeException(string originalType, string message, string? stackTrace, PluginCodeException? innerException = null)
        : base(message, innerException)
    {
        ArgumentException.ThrowIfNullOrEmpty(originalType);
        OriginalType = originalType;
        _stackTrace = stackTrace;
    }

    /// <summary>The full name of the plugin exception's type, e.g. <c>System.InvalidOperationException</c>.</summary>
    public string OriginalType { get; }

    /// <summary>The plugin exception's stack trace, as text.</summary>
    public override string? StackTrace => _stackTrace;

    /// <inheritdoc />
    public override string ToString() => $"{OriginalType}: {Message}{Environment.NewLine}{_stackTrace}" +
        (InnerException is null ? string.Empty : $"{Environment.NewLine} ---> {InnerException}");
}
