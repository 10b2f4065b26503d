using Microsoft.Extensions.Logging.Abstractions;
using Plugboard.Trust;

namespace Plugboard.Isolation.Tests;

/// <summary>Nothing is called before a handshake that names both sides; another local process cannot attach to a worker.</summary>
public sealed class HandshakeTests
{
    [Fact]
    public async Task A_worker_refuses_a_wrong_protocol_version_and_a_wrong_secret_then_serves_its_own_host()
    {
        await using var started = await StartedWorker.StartAsync();
        (WorkerProcess worker, PluginSnapshot snapshot) = (started.Worker, started.Snapshot);
        Hello genuine = started.Hello;

        PluginException wrongProtocol = await Assert.ThrowsAsync<PluginException>(() => Open(worker, genuine with { ProtocolVersion = 99 }, snapshot));
        Assert.Equal(PluginErrorCode.WorkerHandshakeRefused, wrongProtocol.Code);
        Assert.Contains($"The worker refused the handshake: the host speaks worker protocol 99; this worker (Plugboard {typeof(PluginHost<>).Assembly.GetName().Version}) speaks protocol {WorkerProtocol.Version}.",
            wrongProtocol.Message, StringComparison.Ordinal);

        PluginException wrongSecret = await Assert.ThrowsAsync<PluginException>(() => Open(worker, genuine with { Secret = new string('0', 64) }, snapshot));
        Assert.Equal(PluginErrorCode.WorkerHandshakeRefused, wrongSecret.Code);
        Assert.Contains("the hello's secret is not the one this worker was started with (only the host that started a worker can attach to it)", wrongSecret.Message, StringComparison.Ordinal);

        // The refusals cost the worker nothing: its own host still gets in, and the plugin answers.
        WorkerSession session = await Open(worker, genuine, snapshot);
        Assert.Equal(worker.ProcessId, session.Welcome.ProcessId);
        Assert.Equal(1, session.Welcome.Instances);
        CallReply reply = await session.CallAsync(0, new ContractMethods(typeof(IProbe)).IndexOf(typeof(IProbe).GetMethod(nameof(IProbe.Echo))!), nameof(IProbe.Echo),
            [System.Text.Json.JsonSerializer.SerializeToElement("hello")], out _).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("echo: hello", reply.Result?.GetString());

        // Once attached, the worker listens no more: nobody else can even connect.
        Assert.False(File.Exists(worker.SocketPath));
    }

    [Fact]
    public async Task A_worker_that_loads_another_build_of_the_host_API_is_refused_naming_both()
    {
        await using var started = await StartedWorker.StartAsync();
        (WorkerProcess worker, PluginSnapshot snapshot) = (started.Worker, started.Snapshot);
        var other = new ApiIdentity("IsolationApi", "1.0.0.0", Guid.Empty);
        Hello hello = started.Hello with { HostApi = other };

        PluginException error = await Assert.ThrowsAsync<PluginException>(() => Open(worker, hello, snapshot));

        Assert.Equal(PluginErrorCode.WorkerHandshakeRefused, error.Code);
        Assert.Contains($"The host runs host API {other}; the worker loaded {ApiIdentity.Of(typeof(IProbe))}.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_worker_refuses_files_that_are_not_the_bytes_the_hello_lists()
    {
        await using var started = await StartedWorker.StartAsync();
        (WorkerProcess worker, PluginSnapshot snapshot) = (started.Worker, started.Snapshot);
        // The hello promises other bytes for the main assembly than the ones that follow it.
        SnapshotFileHeader[] forged = [.. started.Hello.Files.Select(f => f.RelativePath == "CrashingPlugin.dll" ? f with { Sha256 = new string('0', 64) } : f)];
        Hello hello = started.Hello with { Files = forged };

        PluginException error = await Assert.ThrowsAsync<PluginException>(() => Open(worker, hello, snapshot));

        Assert.Equal(PluginErrorCode.WorkerHandshakeRefused, error.Code);
        Assert.Contains("The plugin's files did not reach its worker intact: the bytes of 'CrashingPlugin.dll' are not the ones the host read (SHA-256 differs).", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A worker for a fresh copy of CrashingPlugin, its snapshot, and the hello its own host would send.</summary>
    private sealed class StartedWorker(PluginFolder folder, PluginSnapshot snapshot, WorkerProcess worker) : IAsyncDisposable
    {
        public PluginSnapshot Snapshot => snapshot;

        public WorkerProcess Worker => worker;

        public Hello Hello { get; } = new(WorkerProtocol.Version, worker.Secret, "CrashingPlugin", snapshot.Directory, typeof(IProbe).AssemblyQualifiedName!,
            ApiIdentity.Of(typeof(IProbe)), [typeof(IProbe).Assembly.Location], [], [], ApiVersionRule.SurfaceProven, SnapshotTransfer.Headers(snapshot),
            new Dictionary<string, string>(), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(10));

        public static async Task<StartedWorker> StartAsync()
        {
            var folder = new PluginFolder("CrashingPlugin");
            string directory = Path.Combine(folder.Root, "CrashingPlugin");
            PluginSnapshot snapshot = PluginSnapshot.Take(directory, "CrashingPlugin");
            WorkerProcess worker = await WorkerProcess.StartAsync("CrashingPlugin", directory, NullLogger.Instance, NullLogger.Instance, TimeSpan.FromSeconds(60), null, null, CancellationToken.None);
            return new StartedWorker(folder, snapshot, worker);
        }

        public async ValueTask DisposeAsync()
        {
            await worker.DisposeAsync();
            folder.Dispose();
        }
    }

    private static Task<WorkerSession> Open(WorkerProcess worker, Hello hello, PluginSnapshot snapshot) =>
        WorkerSession.OpenAsync(worker, hello, snapshot, TimeSpan.FromSeconds(60), (_, _) => method => new PluginException(PluginErrorCode.WorkerCrashed, "CrashingPlugin", null, method, "-"), CancellationToken.None);
}
