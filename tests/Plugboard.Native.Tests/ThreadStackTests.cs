using Plugboard.Native.Calls;

namespace Plugboard.Native.Tests;

/// <summary>
/// The sink tells the calling thread by an address on its stack, checked against the bounds the operating system gave
/// for the token's thread; without bounds it falls back to a thread-local. Both halves, on the platform the tests run on
/// (Linux here: the macOS and Windows queries are compiled but not run by this suite).
/// </summary>
public sealed unsafe class ThreadStackTests
{
    [Fact]
    public void Each_thread_gets_bounds_that_hold_its_own_frames_and_no_other_threads()
    {
        (bool Found, nint Low, nint High, nint Local) Query()
        {
            byte local = 0;
            bool found = ThreadStack.TryGetBounds(out nint low, out nint high);
            return (found, low, high, (nint)(&local));
        }

        var here = Query();
        var there = default((bool Found, nint Low, nint High, nint Local));
        var thread = new Thread(() => there = Query());
        thread.Start();
        Assert.True(thread.Join(TimeSpan.FromSeconds(30)));

        foreach (var bounds in new[] { here, there })
        {
            Assert.True(bounds.Found, $"no stack bounds on {Environment.OSVersion}");
            Assert.InRange(bounds.Local, bounds.Low, bounds.High - 1);
        }
        Assert.True(there.High <= here.Low || here.High <= there.Low, "two live threads were given overlapping stacks");
        Assert.NotInRange(there.Local, here.Low, here.High - 1);
    }

    [Fact]
    public void Without_stack_bounds_a_token_is_still_accepted_only_on_its_own_thread()
    {
        bool foundOwn = false, foundAfter = true, foundElsewhere = true;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                ThreadCalls* calls = CallFrames.Current;
                (nint low, nint high) = (calls->StackLow, calls->StackHigh);
                // As on a platform that gave no bounds: the sink's check falls back to this thread's thread-local.
                calls->StackLow = calls->StackHigh = 0;
                try
                {
                    CallFrame frame = default;
                    CallFrames.Enter(&frame, long.MaxValue, out _);
                    nint token = frame.Token;
                    foundOwn = CallFrames.Find(token) == &frame;
                    var other = new Thread(() => foundElsewhere = CallFrames.Find(token) != null);
                    other.Start();
                    other.Join();
                    CallFrames.Exit(calls, &frame);
                    foundAfter = CallFrames.Find(token) != null;
                }
                finally
                {
                    (calls->StackLow, calls->StackHigh) = (low, high);
                }
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        thread.Start();
        Assert.True(thread.Join(TimeSpan.FromSeconds(30)));

        Assert.Null(failure);
        Assert.True(foundOwn, "the token of the running call was refused on its own thread");
        Assert.False(foundElsewhere, "another thread's token was accepted without stack bounds");
        Assert.False(foundAfter, "the token still named its call after it returned");
    }
}
