using System.Runtime.InteropServices;
using Plugboard.Lifetime;
using Plugboard.Native.Calls;

namespace Plugboard.Native.Tests;

/// <summary>
/// A managed plugin's unload report names the threads started since its load began (Linux). Native inits run on host
/// call threads concurrently with the loads after them (PluginHost.LoadAllAsync), so a call thread started for another
/// plugin's init while a managed plugin loads must not be named as that plugin's.
/// </summary>
public sealed partial class LeakReportCallThreadTests
{
    [Fact]
    public void Threads_started_since_a_load_leave_out_native_call_threads_and_name_the_others()
    {
        long tick = ThreadStartClock.Now() ?? throw new InvalidOperationException("no thread start clock on this system");
        using var release = new ManualResetEventSlim();
        var own = new Thread(() => release.Wait(TimeSpan.FromSeconds(30))) { Name = "host-worker-7" };
        own.Start();
        var pinned = new List<int>();
        try
        {
            // An idle call thread is reused, so calls are kept running until one lands on a thread started since the tick:
            // what an init run for another plugin during this load does.
            while (true)
            {
                using var started = new ManualResetEventSlim();
                int id = 0;
                CallThreads.Run(() =>
                {
                    id = gettid();
                    started.Set();
                    release.Wait(TimeSpan.FromSeconds(30));
                    return true;
                }, () => { }, "plugboard init other-plugin");
                Assert.True(started.Wait(TimeSpan.FromSeconds(30)));
                pinned.Add(id);
                if (ThreadStartClock.Of(id) is (_, long startTick) && startTick >= tick)
                {
                    break;
                }
            }

            List<string> suspects = LeakSuspects.ThreadsStartedSince(tick);

            Assert.Contains(suspects, s => s.StartsWith("'host-worker-7' (thread id ", StringComparison.Ordinal));
            Assert.DoesNotContain(suspects, s => s.StartsWith("'plugboard", StringComparison.Ordinal));
            Assert.DoesNotContain(suspects, s => s.EndsWith($"(thread id {pinned[^1]})", StringComparison.Ordinal));
        }
        finally
        {
            release.Set();
            own.Join();
        }
    }

    [LibraryImport("libc")]
    private static partial int gettid();
}
