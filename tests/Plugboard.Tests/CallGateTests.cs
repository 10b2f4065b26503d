using Plugboard.Lifetime;

namespace Plugboard.Tests;

/// <summary>
/// The call gate counts calls with plain per-thread writes and pays for the ordering with a process-wide barrier when
/// it closes. These tests aim at what that design could get wrong: a drain that ends while a call is still inside
/// (a late call), a call that never gets in anywhere (a lost call), a count that a call leaving on another thread
/// (an asynchronous call) or a thread that ended breaks.
/// </summary>
[Collection(GlobalMeasurement.Name)]
public sealed class CallGateTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private sealed class Version
    {
        public CallGate Gate { get; } = new();

        public volatile bool Drained;
    }

    [Fact]
    public void Ten_million_calls_racing_a_swap_on_every_iteration_are_never_late_and_never_lost()
    {
        const long Calls = 10_000_000, MinimumSwaps = 1_000;
        var current = new Version();
        long made = 0, late = 0, bounced = 0, swaps = 0, drainTimeouts = 0;
        long deadline = Environment.TickCount64 + 120_000;
        // Both counts must be reached: 10 M calls, and enough swaps racing them (a starved swapper must not pass).
        bool Done() => (Interlocked.Read(ref made) >= Calls && Interlocked.Read(ref swaps) >= MinimumSwaps) || Environment.TickCount64 > deadline;
        // One caller leaves through its seat (as Invoke does), the other looks its cell up again (as a lease does).
        Thread[] callers = [.. Enumerable.Range(0, 2).Select(t => new Thread(() =>
        {
            for (int n = 1; !Done(); n++)
            {
                if ((n & 0xFFF) == 0)
                {
                    // The swapper's drain completes on a thread-pool thread: two spinning callers on two cores must leave it room.
                    Thread.Yield();
                }
                Version version = Volatile.Read(ref current);
                if (!version.Gate.TryEnter(out CallGate.Seat seat))
                {
                    // The version retired between reading it and entering: the caller goes to its successor.
                    Interlocked.Increment(ref bounced);
                    continue;
                }
                // Inside: no drain of this version may have ended (checked as the call leaves, the widest window).
                if (version.Drained)
                {
                    Interlocked.Increment(ref late);
                }
                Interlocked.Increment(ref made);
                if (t == 0)
                {
                    version.Gate.Exit(seat);
                }
                else
                {
                    version.Gate.Exit();
                }
            }
        }))];
        var swapper = new Thread(() =>
        {
            while (!Done())
            {
                var next = new Version();
                Version old = Interlocked.Exchange(ref current, next);
                old.Gate.Close();
                if (!old.Gate.DrainAsync(TimeSpan.FromSeconds(30), CancellationToken.None).GetAwaiter().GetResult())
                {
                    Interlocked.Increment(ref drainTimeouts);
                }
                old.Drained = true;
                Interlocked.Increment(ref swaps);
            }
        });
        foreach (Thread thread in callers)
        {
            thread.Start();
        }
        swapper.Start();
        foreach (Thread thread in callers)
        {
            Assert.True(thread.Join(TimeSpan.FromMinutes(3)), "a caller never finished its calls (a lost call would hang it)");
        }
        Assert.True(swapper.Join(TimeSpan.FromMinutes(1)), "the swapper never finished");

        output.WriteLine($"{made:N0} calls, {swaps:N0} swaps, {bounced:N0} calls bounced to a successor, {late} late");
        Assert.True(made >= Calls && swaps >= MinimumSwaps, $"within 120 s only {made:N0} calls and {swaps:N0} swaps were made");
        Assert.Equal(0, late);
        Assert.Equal(0, drainTimeouts);
        Assert.Equal(0, current.Gate.InFlight);
    }

    [Fact]
    public void A_call_and_a_close_started_at_the_same_instant_never_overlap_a_finished_drain()
    {
        // Each iteration starts one call and one close together, so that every iteration is the race itself; the
        // call stays inside a while before it looks, so a drain that ended too early is caught.
        const int Iterations = 20_000;
        long late = 0, entered = 0;
        int go = -1, callerDone = -1;
        Version[] versions = [.. Enumerable.Range(0, Iterations).Select(_ => new Version())];
        var caller = new Thread(() =>
        {
            for (int i = 0; i < Iterations; i++)
            {
                while (Volatile.Read(ref go) < i)
                {
                }
                Version version = versions[i];
                if (version.Gate.TryEnter(out _))
                {
                    entered++;
                    Thread.SpinWait(200);
                    if (version.Drained)
                    {
                        late++;
                    }
                    version.Gate.Exit();
                }
                Volatile.Write(ref callerDone, i);
            }
        });
        long drainTimeouts = 0;
        var closer = new Thread(() =>
        {
            for (int i = 0; i < Iterations; i++)
            {
                Version version = versions[i];
                Volatile.Write(ref go, i);
                // A delay that sweeps the moment of the close across the caller's entry, iteration by iteration.
                for (int spin = 0; spin < i % 256; spin++)
                {
                    _ = Volatile.Read(ref go);
                }
                version.Gate.Close();
                if (!version.Gate.DrainAsync(TimeSpan.FromSeconds(30), CancellationToken.None).GetAwaiter().GetResult())
                {
                    drainTimeouts++;
                }
                version.Drained = true;
                for (long deadline = Environment.TickCount64 + 30_000; Volatile.Read(ref callerDone) < i && Environment.TickCount64 < deadline;)
                {
                }
            }
        });
        caller.Start();
        closer.Start();
        Assert.True(closer.Join(TimeSpan.FromMinutes(2)), "the closer never finished");
        Assert.True(caller.Join(TimeSpan.FromMinutes(1)), "the caller never finished");
        Assert.Equal(0, drainTimeouts);
        output.WriteLine($"{Iterations:N0} races, {entered:N0} calls got in before the close, {late} late");
        Assert.Equal(0, late);
        Assert.True(entered > 0 && entered < Iterations, $"{entered} of {Iterations} calls got in: the two sides did not race");
    }

    [Fact]
    public async Task A_call_that_leaves_on_another_thread_and_callers_whose_threads_ended_keep_the_count_exact()
    {
        var gate = new CallGate();
        // Ten threads enter and end without leaving; their calls are left to other threads.
        var entered = new List<Thread>();
        for (int i = 0; i < 10; i++)
        {
            var thread = new Thread(() => Assert.True(gate.TryEnter(out _)));
            thread.Start();
            entered.Add(thread);
        }
        foreach (Thread thread in entered)
        {
            thread.Join();
        }
        Assert.Equal(10, gate.InFlight);
        // The threads that entered are gone; their numbers go to new threads, which must not disturb the count.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(() =>
        {
            Assert.True(gate.TryEnter(out _));
            gate.Exit();
        })));
        Assert.Equal(10, gate.InFlight);

        gate.Close();
        Task<bool> drain = gate.DrainAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.False(gate.TryEnter(out _));
        for (int i = 0; i < 9; i++)
        {
            await Task.Run(gate.Exit);
        }
        Assert.False(drain.IsCompleted);
        Assert.Equal(1, gate.InFlight);
        await Task.Run(gate.Exit); // the last one out, on yet another thread, signals the drain
        Assert.True(await drain.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(0, gate.InFlight);

        gate.Reopen();
        Assert.True(gate.TryEnter(out _));
        Assert.Equal(1, gate.InFlight);
        gate.Exit();
    }
}
