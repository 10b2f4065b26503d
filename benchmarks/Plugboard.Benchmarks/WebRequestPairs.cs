using System.Diagnostics;

namespace Plugboard.Benchmarks;

/// <summary>
/// A request through a plugin's endpoint against the same endpoint in the host, over real HTTP: one reused client
/// sends the two requests back to back, alternately first, so a burst of the machine's noise falls on both alike.
/// A round's ratio compares the median of its plugin requests' times with the median of its host requests' times:
/// a median, not a mean, because one request stalled for milliseconds by the machine (a collection, another
/// process) would move a round's mean by more than the few microseconds being measured.
/// </summary>
/// <param name="RequestsPerRound">Requests per endpoint per round.</param>
/// <param name="HostMicroseconds">Per round: the median microseconds of a request to the host's own endpoint.</param>
/// <param name="PluginMicroseconds">Per round: the median microseconds of a request to the plugin's endpoint.</param>
internal sealed record WebRequestPairs(int RequestsPerRound, List<double> HostMicroseconds, List<double> PluginMicroseconds)
{
    /// <summary>Per round, plugin over host.</summary>
    public List<double> Ratios => [.. PluginMicroseconds.Zip(HostMicroseconds, (plugin, host) => plugin / host)];

    /// <summary>Runs <paramref name="rounds"/> measured rounds after one warm-up round (JIT, connection, tiering).</summary>
    public static async Task<WebRequestPairs> Measure(int rounds, int requestsPerRound)
    {
        await using WebBenchHost web = await WebBenchHost.StartAsync().ConfigureAwait(false);
        using HttpClient client = web.Client();
        var result = new WebRequestPairs(requestsPerRound, [], []);
        for (int round = -1; round < rounds; round++)
        {
            var host = new List<double>(requestsPerRound);
            var plugin = new List<double>(requestsPerRound);
            for (int i = 0; i < requestsPerRound; i++)
            {
                bool hostFirst = (i + round) % 2 == 0;
                double first = await Time(client, hostFirst ? WebBenchHost.HostPath : WebBenchHost.PluginPath).ConfigureAwait(false);
                double second = await Time(client, hostFirst ? WebBenchHost.PluginPath : WebBenchHost.HostPath).ConfigureAwait(false);
                host.Add(hostFirst ? first : second);
                plugin.Add(hostFirst ? second : first);
            }
            if (round >= 0)
            {
                result.HostMicroseconds.Add(ColdLoadPairs.Percentile(host, 0.5));
                result.PluginMicroseconds.Add(ColdLoadPairs.Percentile(plugin, 0.5));
            }
        }
        return result;
    }

    private static async Task<double> Time(HttpClient client, string path)
    {
        long start = Stopwatch.GetTimestamp();
        string answer = await client.GetStringAsync(path).ConfigureAwait(false);
        double elapsed = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        if (answer != "v1")
        {
            throw new InvalidOperationException($"{path} answered '{answer}', not v1");
        }
        return elapsed;
    }
}
