namespace Plugboard.Native.Aot;

/// <summary>Thrown by plugin code to fail the current call with a specific ABI status and message.</summary>
public sealed class AotPluginException : Exception
{
    /// <summary>Creates the error.</summary>
    /// <param name="status">A negative status (<c>PB_ERR_*</c>); other values become -1.</param>
    /// <param name="message">What went wrong, shown by the host.</param>
    public AotPluginException(int status, string message)
        : base(message)
    {
        Status = status < 0 ? status : AotStatus.Failed;
    }

    /// <summary>The status returned to the host.</summary>
    public int Status { get; }
}
