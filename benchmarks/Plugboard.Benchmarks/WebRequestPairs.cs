using System.Diagnostics;

namespace Plugboard.Benchmarks;

/// <summary>
/// A request through a plugin's endpoint against the same endpoint in the host, over real HTTP: one reused client
/// sends the two requests back to back, alternately first, so a burst of the machine's noise falls on both alike.
/// A round's ratio compares its plugin requests' time with its host requests' time.
/// </summary>
/// <param name="RequestsPerRound">Requests per endpoint per round.</param>
/// <param name="HostMicroseconds">Per round: microseconds per request to the host's own endpoint.</param>
/// <param name="PluginMicroseconds">Per round: microseconds per request to the plugin's endpoint.</param>
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
            double host = 0, plugin = 0;
            for (int i = 0; i < requestsPerRound; i++)
            {
                bool hostFirst = (i + round) % 2 == 0;
                double first = await Time(client, hostFirst ? WebBenchHost.HostPath : WebBenchHost.PluginPath).ConfigureAwait(false);
                double second = await Time(client, hostFirst ? WebBenchHost.PluginPath : WebBenchHost.HostPath).ConfigureAwait(false);
                host += hostFirst ? first : second;
                plugin += hostFirst ? second : first;
            }
            if (round >= 0)
            {
                result.HostMicroseconds.Add(host / requestsPerRound);
                result.PluginMicroseconds.Add(plugin / requestsPerRound);
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
