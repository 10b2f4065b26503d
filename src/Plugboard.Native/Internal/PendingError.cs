using Plugboard.Native.Calls;

namespace Plugboard.Native.Internal;

/// <summary>
/// The message a plugin gave through <c>set_error</c>, kept per thread because the ABI requires set_error on the
/// failing call's thread, and thread-safe plugins fail on many threads at once. Each message is stamped with the token
/// of the call that was innermost when it was given (0 outside any call, as in entry and init), and only that call can
/// claim it: a message left behind by a call that then succeeded is never pinned on a later call, so the call path
/// needs no clearing before each call.
/// </summary>
internal static class PendingError
{
    [ThreadStatic]
    private static string? t_message;

    [ThreadStatic]
    private static int t_code;

    [ThreadStatic]
    private static nint t_call;

    /// <summary>Forgets any message on this thread (before entry and init, which run outside a call).</summary>
    public static void Clear()
    {
        t_message = null;
        t_code = 0;
        t_call = 0;
    }

    /// <summary>Records a message for the call running on this thread.</summary>
    public static void Set(int code, string message)
    {
        t_code = code;
        t_message = message;
        t_call = CallFrames.CurrentToken;
    }

    /// <summary>Takes the message recorded during the call named by <paramref name="call"/> (0: outside any call), and clears it.</summary>
    public static string? Take(nint call, out int code)
    {
        string? message = t_call == call ? t_message : null;
        code = message is null ? 0 : t_code;
        Clear();
        return message;
    }
}
