namespace Plugboard.Native.Calls;

/// <summary>
/// The host objects the contract calls running on this thread passed as handles (a <c>Note</c>, a <c>NotebookStore</c>),
/// as a stack beside the thread's call frames: a call pushes its objects and its frame records where they start, a
/// nested call pushes above them, and each pops its own when it returns. Per thread because a handle is resolved only
/// on its call's thread (<see cref="CallFrames.Find"/>), so nothing here needs a lock; no allocation per call once the
/// thread's array has grown to its deepest nesting.
/// </summary>
internal static class CallHostObjects
{
    [ThreadStatic]
    private static object?[]? t_objects;

    [ThreadStatic]
    private static int t_count;

    /// <summary>Pushes a call's objects; returns where they start.</summary>
    public static int Push(ReadOnlySpan<object> objects)
    {
        int start = t_count;
        object?[] array = t_objects ??= new object?[Math.Max(8, objects.Length)];
        if (start + objects.Length > array.Length)
        {
            Array.Resize(ref array, Math.Max(array.Length * 2, start + objects.Length));
            t_objects = array;
        }
        for (int i = 0; i < objects.Length; i++)
        {
            array[start + i] = objects[i];
        }
        t_count = start + objects.Length;
        return start;
    }

    /// <summary>Pops the objects a call pushed (and drops the references, so the stack keeps nothing alive).</summary>
    public static void Pop(int start)
    {
        object?[]? array = t_objects;
        if (array is not null && start < t_count)
        {
            array.AsSpan(start, t_count - start).Clear();
        }
        t_count = start;
    }

    /// <summary>The first object of type <typeparamref name="T"/> among a frame's objects, or null.</summary>
    public static T? Find<T>(int start, int count) where T : class
    {
        object?[]? array = t_objects;
        if (array is null || start + count > t_count)
        {
            return null;
        }
        for (int i = start; i < start + count; i++)
        {
            if (array[i] is T value)
            {
                return value;
            }
        }
        return null;
    }
}
