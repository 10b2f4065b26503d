namespace Plugboard.Native.Aot;

/// <summary>The host's opaque per-call context (<c>call_ctx</c>); pass <see cref="Context"/> to call-scoped host interface functions during the call.</summary>
/// <param name="Context">The raw pointer.</param>
public readonly record struct AotCall(nint Context);
