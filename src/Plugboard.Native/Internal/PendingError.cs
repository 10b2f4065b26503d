namespace Plugboard.Native.Internal;

/// <summary>
/// The message a plugin gave through <c>set_error</c> for the call running on this thread. Per thread because
/// the ABI requires set_error on the failing call's thread, and thread-safe plugins fail on many threads at once.
/// </summary>
internal static class PendingError
{
    [ThreadStatic]
    private static string? t_message;

    [ThreadStatic]
    private static int t_code;

    public static void Clear()
    {
        t_message = null;
        t_code = 0;
    }

    public static void Set(int code, string message)
    {
        t_code = code;
        t_message = message;
    }

    /// <summary>Takes the message recorded on this thread, if any, and clears it.</summary>
    public static string? Take(out int code)
    {
        string? message = t_message;
        code = t_code;
        Clear();
        return message;
    }
}
