using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Plugboard.Benchmarks.Api;
using Plugboard.Diagnostics;

namespace Plugboard.Benchmarks;

internal sealed record DiagnosisRun(long HeapBytes, int Objects, double UnloadMilliseconds, double DiagnosedUnloadMilliseconds, int RootsFound, string FirstRoot)
{
    /// <summary>The host's System.Text.Json serialization of one of its own types, warm (mean of 1,000 calls).</summary>
    public double JsonWarmMicroseconds { get; init; }

    /// <summary>The same call once, right after an unload that did not collect cleared the framework caches.</summary>
    public double JsonAfterClearMicroseconds { get; init; }

    /// <summary>The host's <c>new XmlSerializer(type)</c> and one serialization of one of its own types, warm (mean of 1,000).</summary>
    public double XmlWarmMicroseconds { get; init; }

    /// <summary>The same once, right after the framework caches were cleared.</summary>
    public double XmlAfterClearMicroseconds { get; init; }
}

/// <summary>A host type the host serializes with XmlSerializer (public, with a parameterless constructor, as it needs).</summary>
public sealed class HostXmlSample
{
    /// <summary>An id.</summary>
    public int Id { get; set; }

    /// <summary>A memo.</summary>
    public string Memo { get; set; } = "";
}

/// <summary>
/// The deep unload diagnosis on a heap of a given size: the same leaking plugin (its entry instance kept by the host)
/// unloaded without and with <see cref="HeapRootDiagnosis"/>, side by side; the difference is the diagnosis's cost.
/// </summary>
internal static class DiagnosisScenario
{
    private static readonly List<object> Ballast = [];
    private static IBenchPlugin? s_kept;

    public static async Task<DiagnosisRun> Run(long heapBytes)
    {
        int objects = FillHeap(heapBytes);
        string directory = PluginFarm.Get(1, first: 800_001);
        var sample = new HostSample(42, "memo", DateTimeOffset.UnixEpoch, [1, 2, 3]);
        JsonSerializer.Serialize(sample);
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < 1000; i++)
        {
            JsonSerializer.Serialize(sample);
        }
        double warm = clock.Elapsed.TotalMicroseconds / 1000;
        var xmlSample = new HostXmlSample { Id = 42, Memo = "memo" };
        SerializeXml(xmlSample);
        clock.Restart();
        for (int i = 0; i < 1000; i++)
        {
            SerializeXml(xmlSample);
        }
        double xmlWarm = clock.Elapsed.TotalMicroseconds / 1000;
        (double plain, _) = await UnloadLeakingAsync(directory, diagnose: false); // not collected: clears the framework caches
        clock.Restart();
        JsonSerializer.Serialize(sample);
        double afterClear = clock.Elapsed.TotalMicroseconds;
        clock.Restart();
        SerializeXml(xmlSample);
        double xmlAfterClear = clock.Elapsed.TotalMicroseconds;
        (double diagnosed, UnloadReport report) = await UnloadLeakingAsync(directory, diagnose: true);
        GC.Collect();
        long heap = GC.GetTotalMemory(forceFullCollection: true);
        Ballast.Clear();
        s_kept = null;
        return new DiagnosisRun(heap, objects, plain, diagnosed, report.Roots.Count, report.Roots.Count > 0 ? report.Roots[0].ToString() : report.Diagnosis ?? "")
        {
            JsonWarmMicroseconds = warm,
            JsonAfterClearMicroseconds = afterClear,
            XmlWarmMicroseconds = xmlWarm,
            XmlAfterClearMicroseconds = xmlAfterClear,
        };
    }

    private static void SerializeXml(HostXmlSample sample)
    {
        using var writer = new StringWriter();
        new System.Xml.Serialization.XmlSerializer(typeof(HostXmlSample)).Serialize(writer, sample);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<(double, UnloadReport)> UnloadLeakingAsync(string directory, bool diagnose)
    {
        await using var host = new PluginHost<IBenchPlugin>(new PluginHostOptions { UnloadDiagnosis = diagnose ? new HeapRootDiagnosis() : null });
        LoadedPlugin<IBenchPlugin> plugin = (await host.LoadAllAsync(host.Discover(directory)).ConfigureAwait(false)).Loaded.Single();
        s_kept = plugin.Instances[0];
        var clock = Stopwatch.StartNew();
        UnloadReport report = await plugin.UnloadAsync().ConfigureAwait(false);
        return (clock.Elapsed.TotalMilliseconds, report);
    }

    /// <summary>Live objects linked into chains (not one big array), so the walk meets a realistic number of objects and references.</summary>
    private static int FillHeap(long bytes)
    {
        int count = 0;
        Node? chain = null;
        for (long allocated = 0; allocated < bytes; allocated += 128)
        {
            chain = new Node(chain, new byte[64]);
            if (++count % 1000 == 0)
            {
                Ballast.Add(chain);
                chain = null;
            }
        }
        return count;
    }

    private sealed record Node(Node? Next, byte[] Payload);

    /// <summary>A host type the host serializes with System.Text.Json's reflection serializer.</summary>
    internal sealed record HostSample(int Id, string Memo, DateTimeOffset At, int[] Values);
}
