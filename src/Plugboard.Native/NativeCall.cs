using Plugboard.Native.Calls;

namespace Plugboard.Native;

/// <summary>
/// For host interface functions that take the <c>call_ctx</c> a plugin received in <c>invoke</c>: turns it back into
/// the context the host passed to <see cref="NativePlugin.Invoke(string, string, nint)"/>, but only while that call
/// runs and only on its thread. A stashed <c>call_ctx</c> used after its call, from another thread, or during another
/// plugin's call resolves to nothing: answer <see cref="NativeStatus.NoCall"/> and touch nothing.
/// </summary>
public static unsafe class NativeCall
{
    /// <summary>Resolves a plugin's <c>call_ctx</c>.</summary>
    /// <param name="callToken">The <c>call_ctx</c> argument the plugin passed.</param>
    /// <param name="context">The caller's context given to Invoke (may be 0) when the token is live.</param>
    /// <returns>True when <paramref name="callToken"/> names the innermost call on this thread.</returns>
    public static bool TryGetContext(nint callToken, out nint context)
    {
        CallFrame* frame = CallFrames.Find(callToken);
        context = frame == null ? 0 : frame->UserContext;
        return frame != null;
    }
}
