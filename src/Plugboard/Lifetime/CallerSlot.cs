using System.Collections.Concurrent;

namespace Plugboard.Lifetime;

/// <summary>
/// A small number of its own for every thread that calls a plugin: the index of its cell in each
/// <see cref="CallGate"/>, so that a cell has one writer. A thread's number is given back when the thread is gone
/// (its thread-static slot is collected) and handed to a later thread, so that the numbers, and the gates' cells,
/// stay as few as the threads alive at once.
/// </summary>
internal sealed class CallerSlot
{
    private static readonly ConcurrentQueue<int> Free = new();
    private static int s_next = -1;

    [ThreadStatic]
    private static CallerSlot? t_slot;

    private readonly int _index;

    private CallerSlot(int index) => _index = index;

    /// <summary>The calling thread's number.</summary>
    public static int OfThisThread => (t_slot ?? Take())._index;

    private static CallerSlot Take()
    {
        int index = Free.TryDequeue(out int reused) ? reused : Interlocked.Increment(ref s_next);
        return t_slot = new CallerSlot(index);
    }

    // Runs once the thread is gone: nobody can write with this number any more, so another thread may.
    ~CallerSlot() => Free.Enqueue(_index);
}
