using System.Diagnostics;
using System.Runtime.CompilerServices;
using Plugboard.AspNetCore;

namespace Plugboard.Benchmarks;

/// <summary>
/// The web load test: <see cref="Clients"/> clients, each with its own reused HttpClient, send requests to the
/// plugin's endpoint on loopback without pause, first for <see cref="BaselineSeconds"/> with no reload, then for
/// <see cref="ReloadSeconds"/> while the plugin is reloaded <see cref="Reloads"/> times (the other version written over
/// its folder, then <c>ReloadAsync</c>; versions alternate), after an uncounted warm-up of half the first phase. A request fails when it throws, answers other than 200,
/// or answers neither version's body. Each replaced version's entry instance is held by a weak reference; after the
/// phase, collections run until all are gone (at most 10 s).
/// </summary>
internal sealed record WebLoadRun(int Clients, double BaselineSeconds, double ReloadSeconds, int Reloads, int ReloadsSucceeded,
    long Requests, long Failed, List<string> FailureSamples, int OldCollectedByReport, int OldCollected, Latencies Baseline, Latencies DuringReloads)
{
    /// <summary>0 failed requests.</summary>
    public Verdict FailedVerdict => Judge.Is(Failed == 0 && Requests > 0);

    /// <summary>Every replaced version collected (weak reference and GC loop), and every reload succeeded.</summary>
    public Verdict CollectedVerdict => Judge.Is(OldCollected == Reloads && ReloadsSucceeded == Reloads);

    public static async Task<WebLoadRun> Run(int clients, TimeSpan baseline, TimeSpan duration, int reloads)
    {
        await using WebBenchHost web = await WebBenchHost.StartAsync().ConfigureAwait(false);
        var counts = new Counts();
        List<HttpClient> pool = [.. Enumerable.Range(0, clients).Select(_ => web.Client())];
        try
        {
            // Warm-up, not counted: every client's connection open and the request path tiered up (JIT), so the phase
            // without reloads does not pay what the first seconds of any process pay.
            await Phase(pool, baseline / 2, new Counts(), _ => Task.CompletedTask).ConfigureAwait(false);
            List<double> quiet = await Phase(pool, baseline, counts, _ => Task.CompletedTask).ConfigureAwait(false);
            var weak = new List<WeakReference>();
            int succeeded = 0, collectedByReport = 0;
            List<double> loaded = await Phase(pool, duration, counts, async stop =>
            {
                var clock = Stopwatch.StartNew();
                for (int i = 1; i <= reloads; i++)
                {
                    // Spread over the phase: reload i starts at i/(reloads+1) of it.
                    TimeSpan due = duration * i / (reloads + 1);
                    if (due > clock.Elapsed)
                    {
                        await Task.Delay(due - clock.Elapsed, CancellationToken.None).ConfigureAwait(false);
                    }
                    weak.Add(WeakInstance(web.Plugin));
                    web.Overwrite(i % 2 == 1 ? "WebBenchPluginV2" : "WebBenchPlugin");
                    ReloadResult result = await web.Plugin.ReloadAsync(CancellationToken.None).ConfigureAwait(false);
                    succeeded += result.Succeeded ? 1 : 0;
                    collectedByReport += result.PreviousUnload?.Collected == true ? 1 : 0;
                }
            }).ConfigureAwait(false);
            for (long deadline = Environment.TickCount64 + 10_000; weak.Any(w => w.IsAlive) && Environment.TickCount64 < deadline; await Task.Delay(10).ConfigureAwait(false))
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
            return new WebLoadRun(clients, baseline.TotalSeconds, duration.TotalSeconds, reloads, succeeded, counts.Requests, counts.Failed, [.. counts.Samples],
                collectedByReport, weak.Count(w => !w.IsAlive), Latencies.Of(quiet), Latencies.Of(loaded));
        }
        finally
        {
            pool.ForEach(c => c.Dispose());
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference WeakInstance(LoadedPlugin<IWebPlugin> plugin) => new(plugin.Instances.Single());

    // The clients send for the phase's duration while `alongside` runs; the phase lasts at least until it is done.
    private static async Task<List<double>> Phase(List<HttpClient> pool, TimeSpan duration, Counts counts, Func<CancellationToken, Task> alongside)
    {
        using var stop = new CancellationTokenSource();
        Task[] clients = new Task[pool.Count];
        var latencies = new List<double>[pool.Count];
        for (int c = 0; c < pool.Count; c++)
        {
            int index = c;
            latencies[index] = new List<double>(100_000);
            clients[index] = Task.Run(() => Send(pool[index], latencies[index], counts, stop.Token));
        }
        Task side = alongside(stop.Token);
        await Task.WhenAll(Task.Delay(duration), side).ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(clients).ConfigureAwait(false);
        return [.. latencies.SelectMany(l => l)];
    }

    private static async Task Send(HttpClient client, List<double> latencies, Counts counts, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            long start = Stopwatch.GetTimestamp();
            string? failure;
            try
            {
                // Not cancelled by `stop`: a request once sent is finished and counted.
                using HttpResponseMessage response = await client.GetAsync(WebBenchHost.PluginPath, CancellationToken.None).ConfigureAwait(false);
                string body = await response.Content.ReadAsStringAsync(CancellationToken.None).ConfigureAwait(false);
                failure = response.IsSuccessStatusCode && body is "v1" or "v2" ? null : $"{(int)response.StatusCode} {body}";
            }
            catch (HttpRequestException ex)
            {
                failure = ex.Message;
            }
            latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            counts.Count(failure);
        }
    }

    private sealed class Counts
    {
        private readonly Lock _gate = new();
        private long _requests;
        private long _failed;

        public List<string> Samples { get; } = [];

        public long Requests => Interlocked.Read(ref _requests);

        public long Failed => Interlocked.Read(ref _failed);

        public void Count(string? failure)
        {
            Interlocked.Increment(ref _requests);
            if (failure is null)
            {
                return;
            }
            Interlocked.Increment(ref _failed);
            lock (_gate)
            {
                if (Samples.Count < 5)
                {
                    Samples.Add(failure);
                }
            }
        }
    }
}
