using System.Collections.Concurrent;
using System.Diagnostics;

namespace Plugboard.Isolation;

/// <summary>
/// Starts every worker process from one thread that lives as long as the host. On Linux a worker asks to be killed
/// when its parent ends (PR_SET_PDEATHSIG), and the kernel means the parent <em>thread</em> that forked it: a worker
/// started from a pool thread would be killed when that idle thread retires. This thread never ends before the host.
/// </summary>
internal static class WorkerLauncher
{
    private static readonly BlockingCollection<(ProcessStartInfo Start, TaskCompletionSource<Process> Started)> Requests = [];
    private static readonly Lazy<Thread> Thread = new(() =>
    {
        var thread = new Thread(Serve) { IsBackground = true, Name = "Plugboard worker launcher" };
        thread.Start();
        return thread;
    });

    public static Task<Process> StartAsync(ProcessStartInfo start)
    {
        _ = Thread.Value;
        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        Requests.Add((start, started));
        return started.Task;
    }

    private static void Serve()
    {
        foreach ((ProcessStartInfo start, TaskCompletionSource<Process> started) in Requests.GetConsumingEnumerable())
        {
            try
            {
                started.SetResult(Process.Start(start) ?? throw new InvalidOperationException("Process.Start returned no process."));
            }
#pragma warning disable CA1031 // Whatever starting fails with goes to the one waiting for it.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                started.SetException(ex);
            }
        }
    }
}
