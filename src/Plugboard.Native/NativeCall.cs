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

    /// <summary>
    /// Resolves a handle a plugin passed back to a host table: the object of type <typeparamref name="T"/> that the call
    /// <paramref name="callToken"/> names passed as a handle (the <c>hostObjects</c> of <c>NativePlugin.CallContract</c>),
    /// but only while that call runs and only on its thread. A stale handle (kept after its call, used from another
    /// thread or during another call) resolves to nothing: answer <see cref="NativeStatus.NoCall"/> and touch nothing.
    /// </summary>
    /// <typeparam name="T">The exported class or interface the host table serves.</typeparam>
    /// <param name="callToken">The handle's context as the plugin passed it (the call token).</param>
    /// <param name="value">The host's object, when the token is live and its call passed one of that type.</param>
    /// <returns>True when <paramref name="value"/> was found.</returns>
    public static bool TryGetHostObject<T>(nint callToken, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out T? value) where T : class
    {
        CallFrame* frame = CallFrames.Find(callToken);
        value = frame == null || frame->HostObjectsCount == 0 ? null : CallHostObjects.Find<T>(frame->HostObjectsStart, frame->HostObjectsCount);
        return value is not null;
    }
}
