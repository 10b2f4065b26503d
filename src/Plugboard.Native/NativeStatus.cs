namespace Plugboard.Native;

/// <summary>The status codes of the plugin ABI (<c>PB_OK</c>, <c>PB_ERR_*</c> in plugboard.h): 0 is success, negative is an error.</summary>
public static class NativeStatus
{
    /// <summary>Success.</summary>
    public const int Ok = 0;
    /// <summary>Generic failure.</summary>
    public const int Failed = -1;
    /// <summary>An argument was null, out of range or malformed.</summary>
    public const int InvalidArgument = -2;
    /// <summary>Unknown operation or interface.</summary>
    public const int Unsupported = -3;
    /// <summary>The thing asked for does not exist.</summary>
    public const int NotFound = -4;
    /// <summary>A string was not valid UTF-8.</summary>
    public const int InvalidUtf8 = -5;
    /// <summary>A panic or exception was caught at the plugin's boundary.</summary>
    public const int Panic = -6;
    /// <summary>A sink or buffer could not take the output.</summary>
    public const int BufferTooSmall = -7;
    /// <summary>A call-scoped host function or sink was used outside its call: after it returned, from another thread, or with another call's token.</summary>
    public const int NoCall = -8;
    /// <summary>The plugin refused a call that would re-enter it on a thread where it is already running (ABI 1.1).</summary>
    public const int Reentered = -9;

    /// <summary>The symbolic name of a status, for messages.</summary>
    /// <param name="status">A status.</param>
    /// <returns>For example <c>PB_ERR_PANIC (-6)</c>.</returns>
    public static string Describe(int status) => status switch
    {
        Ok => "PB_OK (0)",
        Failed => "PB_ERR_FAILED (-1)",
        InvalidArgument => "PB_ERR_INVALID_ARGUMENT (-2)",
        Unsupported => "PB_ERR_UNSUPPORTED (-3)",
        NotFound => "PB_ERR_NOT_FOUND (-4)",
        InvalidUtf8 => "PB_ERR_INVALID_UTF8 (-5)",
        Panic => "PB_ERR_PANIC (-6)",
        BufferTooSmall => "PB_ERR_BUFFER_TOO_SMALL (-7)",
        NoCall => "PB_ERR_NO_CALL (-8)",
        Reentered => "PB_ERR_REENTERED (-9)",
        _ => $"status {status}",
    };
}
