using System.Net.Sockets;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Plugboard.Isolation;
using Plugboard.Trust;

namespace Plugboard.Serving;

/// <summary>
/// The worker process of one out-of-process plugin (started by Plugboard.Worker.dll): reads its secret from standard
/// input, arms the parent-death signal, listens on the socket the host named, refuses every hello that does not carry
/// the protocol version and the secret, loads the plugin with Plugboard's own loader, then serves calls until the host
/// says stop or goes away.
/// </summary>
internal static class WorkerProgram
{
    /// <summary>The exit code of a worker whose host ended (its standard input closed).</summary>
    public const int HostGoneExitCode = 70;

    private const int RefusalsAllowed = 16;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length != 2 || !int.TryParse(args[1], System.Globalization.CultureInfo.InvariantCulture, out int hostProcessId))
        {
            await Console.Error.WriteLineAsync("Plugboard.Worker is started by a Plugboard host (PluginIsolation.OutOfProcess), not by hand.").ConfigureAwait(false);
            return 2;
        }
        WorkerWarmup.Start();
        string socketPath = args[0];
        Stream input = Console.OpenStandardInput();
        string? secret = ReadLine(input);
        if (string.IsNullOrEmpty(secret) || !ParentDeath.Arm(hostProcessId))
        {
            return HostGoneExitCode;
        }
        // The host keeps standard input open for the worker's life: its end means the host is gone.
        new Thread(() =>
        {
            var buffer = new byte[64];
            while (input.Read(buffer) > 0)
            {
            }
            Environment.Exit(HostGoneExitCode);
        }) { IsBackground = true, Name = "Plugboard host watch" }.Start();

        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        listener.Listen(4);
        Console.Out.WriteLine(WorkerProcess.ListeningLine);
        Console.Out.Flush();

        (MessageChannel channel, Hello hello) = await AcceptHostAsync(listener, secret).ConfigureAwait(false);
        // One host per worker: nobody else can connect once it has.
        listener.Close();
        File.Delete(socketPath);
        using (channel)
        {
            await using IPluginServer? server = await ServeAsync(channel, hello).ConfigureAwait(false);
        }
        return 0;
    }

    private static async Task<(MessageChannel, Hello)> AcceptHostAsync(Socket listener, string secret)
    {
        for (int refusals = 0; ; refusals++)
        {
            // Accepted synchronously: the channel's socket is never used asynchronously (see MessageChannel).
            Socket socket = listener.Accept();
            var channel = new MessageChannel(socket);
            WireMessage? first;
            try
            {
                first = await channel.ReceiveAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is InvalidDataException or OperationCanceledException)
            {
                first = null;
            }
            string reason = first switch
            {
                Hello { ProtocolVersion: not WorkerProtocol.Version } h =>
                    $"the host speaks worker protocol {h.ProtocolVersion}; this worker (Plugboard {typeof(WorkerProgram).Assembly.GetName().Version}) speaks protocol {WorkerProtocol.Version}",
                Hello h when !SameSecret(h.Secret, secret) =>
                    "the hello's secret is not the one this worker was started with (only the host that started a worker can attach to it)",
                Hello => string.Empty,
                _ => "the first message was not a hello",
            };
            if (reason.Length == 0)
            {
                return (channel, (Hello)first!);
            }
            try
            {
                channel.Send(new Refusal(WorkerProtocol.Version, reason));
            }
            catch (Exception ex) when (MessageChannel.IsGone(ex))
            {
            }
            channel.Dispose();
            if (refusals + 1 >= RefusalsAllowed)
            {
                Environment.Exit(3);
            }
        }
    }

    private static async Task<IPluginServer?> ServeAsync(MessageChannel channel, Hello hello)
    {
        var hostCalls = new HostCalls(channel);
        IPluginServer? server;
        Welcome welcome;
        PluginSnapshot? snapshot = null;
        string? problem = null;
        try
        {
            // Bounded: a host that stalls mid-transfer is gone or broken, and the worker must not wait for ever.
            using var transfer = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            snapshot = await channel.ReadAsync(c => SnapshotTransfer.Receive(c, hello), transfer.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidDataException or OperationCanceledException)
        {
            problem = ex.Message;
        }
        IReadOnlyList<InstanceState>? handed = null;
        if (snapshot is null)
        {
            (server, welcome) = (null, Refused(hello, null, PluginErrorCode.WorkerHandshakeRefused, $"The plugin's files did not reach its worker intact: {problem}.",
                "Report this as a Plugboard defect: a host and a worker of one Plugboard version always agree on the files."));
        }
        else
        {
            (server, Welcome? loaded, handed) = await LoadAsync(hello, snapshot, hostCalls, channel).ConfigureAwait(false);
            if (loaded is null)
            {
                return null; // armed, and the host went away (or stopped it) instead of saying go
            }
            welcome = loaded;
        }
        if (server is not null && handed is { Count: > 0 } state)
        {
            // A restart: the predecessor's last state, before any call (a problem leaves the plugin as it loaded).
            welcome = welcome with { StateProblem = server.ImportState(state) };
        }
        try
        {
            channel.Send(welcome);
        }
        catch (Exception ex) when (MessageChannel.IsGone(ex))
        {
            await DisposeAsync(server).ConfigureAwait(false);
            return null; // the host went away (or the transfer timed out and ended the connection)
        }
        if (server is null)
        {
            return null;
        }
        using var stopping = new CancellationTokenSource();
        Task checkpoints = hello.StateCheckpointInterval is TimeSpan interval && server.TransfersState
            ? SendCheckpointsAsync(channel, server, interval, stopping.Token) : Task.CompletedTask;
        try
        {
            // A thread of its own, reading synchronously: a call wakes it (MessageChannel says why).
            await Task.Factory.StartNew(() => ServeCalls(channel, server, hostCalls), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).ConfigureAwait(false);
        }
        finally
        {
            await stopping.CancelAsync().ConfigureAwait(false);
            await checkpoints.ConfigureAwait(false);
        }
        return server;
    }

    private static void ServeCalls(MessageChannel channel, IPluginServer server, HostCalls hostCalls)
    {
        while (channel.Receive() is WireMessage message and not Shutdown)
        {
            if (message is HostCallReply hostReply)
            {
                hostCalls.Complete(hostReply);
            }
            else if (message is CancelRequest cancel)
            {
                server.Cancel(cancel.Id);
            }
            else if (message is CallRequest call)
            {
                server.Accept(call);
                // Each call on its own: a slow call never holds up the others.
                ThreadPool.UnsafeQueueUserWorkItem(static state => _ = ReplyAsync(state.channel, state.server, state.call), (channel, server, call), preferLocal: false);
            }
            else if (message is ExportRequest export)
            {
                // Plugin code, like a call: never on the thread that reads the host's messages.
                _ = Task.Run(async () => Answer(channel, await server.ExportAsync(export).ConfigureAwait(false)));
            }
            else if (message is ImportRequest import)
            {
                _ = Task.Run(() => Answer(channel, server.Import(import)));
            }
        }
    }

    private static void Answer(MessageChannel channel, WireMessage reply)
    {
        try
        {
            channel.Send(reply);
        }
        catch (Exception ex) when (MessageChannel.IsGone(ex))
        {
            // the host is gone: the worker ends
        }
    }

    private static async Task ReplyAsync(MessageChannel channel, IPluginServer server, CallRequest call)
    {
        Answer(channel, await server.CallAsync(call).ConfigureAwait(false));
    }

    /// <summary>Sends the plugin's state whenever calls changed it and none runs, at most once per <paramref name="interval"/>.</summary>
    private static async Task SendCheckpointsAsync(MessageChannel channel, IPluginServer server, TimeSpan interval, CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(interval > TimeSpan.FromMilliseconds(1) ? interval : TimeSpan.FromMilliseconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
            {
                if (server.TakeState() is StateCheckpoint checkpoint)
                {
                    // Not cancelled half-way: a frame cut short would be a protocol violation to the host.
                    channel.Send(checkpoint);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException || MessageChannel.IsGone(ex))
        {
            // The host said stop, or is gone: the worker ends.
        }
    }

    /// <summary>
    /// Sets up the plugin's server and loads the plugin; a worker armed ahead of a restart (<see cref="Hello.AwaitsGo"/>)
    /// inspects the plugin first (its metadata only: none of its code runs) and loads it at the host's go. Also the
    /// state to import before the first call: the go's, or the hello's. A null welcome: the host ended the connection
    /// or stopped the worker before the go.
    /// </summary>
    private static async Task<(IPluginServer?, Welcome?, IReadOnlyList<InstanceState>?)> LoadAsync(Hello hello, PluginSnapshot snapshot, HostCalls hostCalls, MessageChannel channel)
    {
        // A native plugin's adapter may live outside the host API (the host's own assembly): found by its file too.
        HostApiResolution.Register([.. hello.HostApiAssemblies, .. hello.SharedAssemblies, .. hello.Native is NativeWorkerSettings native ? [native.Adapter.AssemblyPath] : Array.Empty<string>()]);
        Type? contract;
        try
        {
            contract = Type.GetType(hello.ContractType, throwOnError: true);
        }
        catch (Exception ex) when (ex is TypeLoadException or FileNotFoundException or FileLoadException or BadImageFormatException)
        {
            return (null, Refused(hello, null, PluginErrorCode.WorkerHandshakeRefused, $"The worker cannot load the host's contract {hello.ContractType}: {ex.Message}",
                "Keep the host API assemblies where the host loaded them from while the host runs."), null);
        }
        ApiIdentity loaded = ApiIdentity.Of(contract!);
        if (loaded != hello.HostApi)
        {
            return (null, Refused(hello, loaded, PluginErrorCode.WorkerHandshakeRefused, $"The host runs host API {hello.HostApi}; the worker loaded {loaded}.",
                "Run the worker from the host's own folder (the Plugboard reference puts it there), so that both load the same host API."), null);
        }
        IPluginServer? server = null;
        try
        {
            server = (IPluginServer)Activator.CreateInstance(typeof(PluginServer<>).MakeGenericType(contract!), hello, hostCalls)!;
            server.Inspect(snapshot);
            IReadOnlyList<InstanceState>? state = hello.State;
            if (hello.AwaitsGo)
            {
                if (await channel.ReceiveAsync(CancellationToken.None).ConfigureAwait(false) is not Go go)
                {
                    await DisposeAsync(server).ConfigureAwait(false);
                    return (null, null, null);
                }
                state = go.State;
            }
            int instances = await server.LoadAsync().ConfigureAwait(false);
            return (server, new Welcome(WorkerProtocol.Version, hello.PluginId, loaded, instances, Environment.ProcessId, null, TransfersState: server.TransfersState), state);
        }
        catch (PluginException ex)
        {
            await DisposeAsync(server).ConfigureAwait(false);
            return (null, new Welcome(WorkerProtocol.Version, hello.PluginId, loaded, 0, Environment.ProcessId, new RemoteLoadError(ex.Code, ex.PluginPath, ex.Cause, ex.Fix)), null);
        }
#pragma warning disable CA1031 // Whatever else fails here goes to the host as a typed error instead of a connection that just closes.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            await DisposeAsync(server).ConfigureAwait(false);
            Exception cause = ex is System.Reflection.TargetInvocationException { InnerException: Exception inner } ? inner : ex;
            return (null, Refused(hello, loaded, PluginErrorCode.WorkerStartFailed, $"The worker could not set up the plugin: {cause.GetType().FullName}: {cause.Message}",
                "An assembly the worker cannot find is one the host has and the worker does not: run the worker from the host's folder on the host's frameworks (the Plugboard reference does), and report it as a Plugboard defect if it does."), null);
        }
    }

    private static async ValueTask DisposeAsync(IPluginServer? server)
    {
        if (server is not null)
        {
            await server.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static Welcome Refused(Hello hello, ApiIdentity? loaded, PluginErrorCode code, string cause, string fix) =>
        new(WorkerProtocol.Version, hello.PluginId, loaded ?? hello.HostApi, 0, Environment.ProcessId, new RemoteLoadError(code, hello.PluginDirectory, cause, fix));

    private static bool SameSecret(string offered, string secret) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(offered ?? string.Empty), Encoding.UTF8.GetBytes(secret));

    // Byte by byte: a buffered reader would swallow what follows the line, and the rest of the stream is the host watch's.
    private static string? ReadLine(Stream input)
    {
        var line = new List<byte>();
        var one = new byte[1];
        while (input.Read(one) == 1)
        {
            if (one[0] == (byte)'\n')
            {
                return Encoding.UTF8.GetString([.. line]).TrimEnd('\r');
            }
            line.Add(one[0]);
            if (line.Count > 1024)
            {
                return null;
            }
        }
        return null;
    }
}
