namespace Plugboard.Native.Aot;

/// <summary>ABI status codes (<c>PB_OK</c>, <c>PB_ERR_*</c> in plugboard.h).</summary>
public static class AotStatus
{
    /// <summary>Success.</summary>
    public const int Ok = 0;
    /// <summary>Generic failure.</summary>
    public const int Failed = -1;
    /// <summary>An argument was null, out of range or malformed.</summary>
    public const int InvalidArgument = -2;
    /// <summary>Unknown operation or interface.</summary>
    public const int Unsupported = -3;
    /// <summary>Not found.</summary>
    public const int NotFound = -4;
    /// <summary>Invalid UTF-8.</summary>
    public const int InvalidUtf8 = -5;
    /// <summary>An exception was caught at the plugin boundary.</summary>
    public const int Panic = -6;
    /// <summary>A sink or buffer could not take the output (<c>PB_ERR_BUFFER_TOO_SMALL</c>).</summary>
    public const int BufferTooSmall = -7;
    /// <summary>A call token was used outside its call or thread (<c>PB_ERR_NO_CALL</c>).</summary>
    public const int NoCall = -8;
    /// <summary>The plugin refuses a call that would re-enter it on a thread where it already runs (<c>PB_ERR_REENTERED</c>, ABI 1.1).</summary>
    public const int Reentered = -9;
}
