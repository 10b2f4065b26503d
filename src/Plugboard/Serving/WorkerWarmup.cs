using System.Text.Json;
using Plugboard.Isolation;

namespace Plugboard.Serving;

/// <summary>
/// Runs, on a thread of its own as soon as a worker starts, the code the worker is about to need: a host made for a
/// contract, the protocol's messages written and read, contract data through the serializer. A new process compiles
/// every method on first use, and most of a restart (from the kill to the first call answered) was that compiling on
/// the one thread that serves; done here beside it, on another core, while the host connects and sends the plugin's
/// files. Nothing of the plugin runs here, and nothing here changes what the worker does: whatever this thread has
/// not reached yet, the serving thread compiles itself.
/// </summary>
internal static class WorkerWarmup
{
    /// <summary>A contract of no plugin: the host made for it shares its compiled code with the host made for the plugin's.</summary>
    internal interface IWarmupContract
    {
        /// <summary>Never called.</summary>
        int Call(int value);
    }

    /// <summary>Contract data of the shapes calls most often carry.</summary>
    internal sealed record WarmupData(int Number, long Big, bool Flag, double Ratio, string Text, string? None, TimeSpan Time, DateTimeOffset At,
        Guid Id, PluginErrorCode Code, IReadOnlyList<string> Names, IReadOnlyDictionary<string, int> Counts, int? Maybe, byte[] Bytes);

    public static void Start()
    {
        new Thread(() => Warm()) { IsBackground = true, Name = "Plugboard worker warm-up", Priority = ThreadPriority.BelowNormal }.Start();
    }

    /// <summary>Runs the warm-up; what stopped it early, or null (tests check it runs to the end: one that fails early warms nothing).</summary>
    internal static Exception? Warm()
    {
        try
        {
            var data = new WarmupData(1, 2, true, 0.5, "text", null, TimeSpan.FromSeconds(1), DateTimeOffset.UnixEpoch, Guid.Empty, PluginErrorCode.WorkerCrashed,
                ["a"], new Dictionary<string, int>(StringComparer.Ordinal) { ["a"] = 1 }, 3, [1, 2]);
            JsonElement json = JsonSerializer.SerializeToElement(data, WorkerProtocol.Json);
            _ = json.Deserialize<WarmupData>(WorkerProtocol.Json);
            _ = JsonSerializer.SerializeToElement("text", typeof(string), WorkerProtocol.Json).Deserialize(typeof(string), WorkerProtocol.Json);
            var api = new ApiIdentity("Warmup", "1.0.0.0", Guid.Empty);
            foreach (WireMessage message in (WireMessage[])[
                new Welcome(WorkerProtocol.Version, "warmup", api, 1, Environment.ProcessId, null),
                new CallRequest(1, 0, 0, "Call", [json]),
                new CallReply(1, json, null),
                new CallReply(2, null, RemoteError.Of(new InvalidOperationException("warm-up"))),
                new StateCheckpoint([new InstanceState(0, "Warmup", "Warmup", json)], null)])
            {
                _ = WireCodec.Read(WireCodec.Write(message));
            }
            var options = new PluginHostOptions { LoggerFactory = new StderrLoggerFactory() };
            options.Isolation.HonorPluginRequests = false;
            options.Isolation.Default = PluginIsolation.InProcess;
            PluginHost<IWarmupContract> host = new(options);
            host.DisposeAsync().AsTask().GetAwaiter().GetResult();
            return null;
        }
#pragma warning disable CA1031 // A warm-up that fails changes nothing: the serving thread compiles what it needs itself.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return ex;
        }
    }
}
