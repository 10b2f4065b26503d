namespace Plugboard;

/// <summary>What kind of GC root keeps an unloaded plugin alive (<see cref="LeakRoot.Kind"/>).</summary>
public enum LeakRootKind
{
    /// <summary>A static field of a type outside the plugin (named in <see cref="LeakRoot.Root"/>).</summary>
    StaticField = 0,

    /// <summary>A thread-static or thread-local value held by a thread that outlived the plugin.</summary>
    ThreadStatic = 1,

    /// <summary>A strong GC handle (<c>GCHandle.Alloc</c>, or a runtime structure held by one).</summary>
    StrongHandle = 2,

    /// <summary>A pinned GC handle.</summary>
    PinnedHandle = 3,

    /// <summary>A local variable or argument on a thread's stack: a thread is running or waiting in code that holds the plugin.</summary>
    ThreadStack = 4,

    /// <summary>An object waiting for its finalizer to run.</summary>
    FinalizerQueue = 5,

    /// <summary>The runtime's timer queue: a <c>Timer</c>, <c>Task.Delay</c> or <c>CancelAfter</c> whose callback leads to the plugin.</summary>
    Timer = 6,

    /// <summary>A wait registered with <c>ThreadPool.RegisterWaitForSingleObject</c> whose callback leads to the plugin.</summary>
    RegisteredWait = 7,
}
