namespace Plugboard.Native.Calls;

/// <summary>
/// The host threads that run bounded native calls (entry + init, shutdown, invokes with a deadline). A thread that
/// finished its call waits for the next one instead of ending, so a bounded call that returns in time costs a hand-off,
/// not a thread start; a thread abandoned in a hung call simply never comes back, and a new one is started for the
/// next call. Idle threads end after <see cref="IdleLifetime"/>.
/// </summary>
internal static class CallThreads
{
    /// <summary>
    /// How every call thread's name begins ("plugboard call", "plugboard init &lt;id&gt;", ...). Linux threads inherit
    /// their creator's name, so a thread native code started from a call thread begins with it too: the leak report
    /// of a managed plugin leaves such threads out (they run native plugins' code, and the inits of several native
    /// plugins run while another plugin loads).
    /// </summary>
    public const string NamePrefix = "plugboard ";

    /// <summary>How long an idle call thread waits for work before it ends.</summary>
    public static readonly TimeSpan IdleLifetime = TimeSpan.FromSeconds(30);

    private static readonly Lock s_gate = new();
    private static readonly List<CallThread> s_idle = [];

    /// <summary>
    /// Runs <paramref name="work"/> on an idle call thread, or on a new one when none is idle, then
    /// <paramref name="done"/> once that thread is idle again: a caller woken by it that calls again at once gets the
    /// same thread. <paramref name="work"/> returns false when its call came back after its caller gave up: that
    /// thread goes to the back of the idle list, so a late thread never takes over from the one serving calls in time.
    /// </summary>
    public static void Run(Func<bool> work, Action done, string name)
    {
        CallThread? thread = null;
        lock (s_gate)
        {
            if (s_idle.Count > 0)
            {
                thread = s_idle[^1];
                s_idle.RemoveAt(s_idle.Count - 1);
            }
        }
        (thread ?? new CallThread()).Post(work, done, name);
    }

    private sealed class CallThread
    {
        private readonly SemaphoreSlim _go = new(0);
        private Func<bool>? _work;
        private Action? _done;
        private string _name = "plugboard call";

        public CallThread()
        {
            new Thread(Loop) { IsBackground = true, Name = "plugboard call" }.Start();
        }

        /// <summary>Hands the thread its next call (it was taken from the idle list, or is new).</summary>
        public void Post(Func<bool> work, Action done, string name)
        {
            _name = name;
            _done = done;
            Volatile.Write(ref _work, work);
            _go.Release();
        }

        private void Loop()
        {
            while (true)
            {
                if (!_go.Wait(IdleLifetime))
                {
                    lock (s_gate)
                    {
                        // Still idle: end. Taken from the list meanwhile: the call is being posted, so wait for it.
                        if (s_idle.Remove(this))
                        {
                            return;
                        }
                    }
                    continue;
                }
                Func<bool> work = Volatile.Read(ref _work)!;
                Action done = _done!;
                _work = null;
                _done = null;
                // The name says which plugin a hung thread is stuck in (a debugger or a dump shows it).
                try
                {
                    Thread.CurrentThread.Name = _name;
                }
                catch (InvalidOperationException)
                {
                    // A runtime that names a thread only once: the first name stays.
                }
                bool inTime = work();
                lock (s_gate)
                {
                    // The last of the list is taken first.
                    s_idle.Insert(inTime ? s_idle.Count : 0, this);
                }
                done();
            }
        }
    }
}
