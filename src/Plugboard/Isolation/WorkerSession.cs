using Plugboard.Trust;
using System.Collections.Concurrent;
using System.Text.Json;

namespace Plugboard.Isolation;

/// <summary>
/// One worker after a successful handshake: calls go out with an id, replies come back in any order and complete
/// their call. When the worker ends, for whatever reason, every call still in flight fails at once with the error
/// the supervisor decides on; none waits for a reply that cannot come.
/// </summary>
internal sealed class WorkerSession
{
    private readonly MessageChannel _channel;
    private readonly ConcurrentDictionary<long, Pending<CallReply>> _pending = new();
    private readonly Func<WorkerSession, WorkerExit, Func<string, PluginException>> _onEnded;
    private readonly Action<WorkerSession, StateCheckpoint>? _onCheckpoint;
    private readonly ConcurrentDictionary<long, (object Target, ContractMethods Methods)> _handles = new();
    private readonly ConcurrentDictionary<long, Pending<WireMessage>> _requests = new();
    private long _nextId;
    private long _nextHandle;
    private int _ended; // 1 once the reader failed the calls in flight; read and written with full fences (see CallAsync)

    private WorkerSession(WorkerProcess process, MessageChannel channel, Welcome welcome, Func<WorkerSession, WorkerExit, Func<string, PluginException>> onEnded,
        Action<WorkerSession, StateCheckpoint>? onCheckpoint)
    {
        Process = process;
        _channel = channel;
        Welcome = welcome;
        _onEnded = onEnded;
        _onCheckpoint = onCheckpoint;
        // A thread of its own, reading synchronously: a reply wakes it, and it wakes the caller (MessageChannel says why).
        var read = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        new Thread(() =>
        {
            ReadReplies();
            read.SetResult();
        }) { IsBackground = true, Name = $"Plugboard worker {process.ProcessId} replies" }.Start();
        Ended = EndAsync(read.Task);
    }

    public WorkerProcess Process { get; }

    public Welcome Welcome { get; }

    /// <summary>Completes once the worker ended and every call in flight was failed.</summary>
    public Task Ended { get; }

    /// <summary>
    /// Says hello, hands over the plugin's files (<paramref name="snapshot"/>, as <paramref name="hello"/> lists them)
    /// and reads the worker's answer: a refusal, or a welcome whose protocol, plugin and host API must be this
    /// host's. Nothing is called before. The worker's state checkpoints go to <paramref name="onCheckpoint"/>.
    /// </summary>
    /// <exception cref="PluginException">PB0703 (refused or mismatched), PB0702 (no answer), or the plugin's own load error.</exception>
    public static async Task<WorkerSession> OpenAsync(WorkerProcess process, Hello hello, PluginSnapshot snapshot, TimeSpan timeout,
        Func<WorkerSession, WorkerExit, Func<string, PluginException>> onEnded, CancellationToken cancellationToken, Action<WorkerSession, StateCheckpoint>? onCheckpoint = null)
    {
        ArmedWorker armed = Arm(process, hello, snapshot, cancellationToken);
        return await AnswerAsync(armed, timeout, onEnded, cancellationToken, onCheckpoint).ConfigureAwait(false);
    }

    /// <summary>
    /// Says hello and hands over the plugin's files without waiting for the answer: with <see cref="Hello.AwaitsGo"/>,
    /// the worker inspects the plugin and waits for <see cref="GoAsync"/> (a worker started ahead of a restart).
    /// </summary>
    public static ArmedWorker Arm(WorkerProcess process, Hello hello, PluginSnapshot snapshot, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        MessageChannel channel = process.Connect();
        try
        {
            channel.Send(hello);
            Task<WireMessage?> answer = channel.ReceiveAsync(cancellationToken);
            // The files go while the answer is awaited: a worker that refuses the hello closes the connection
            // instead of reading them, and its refusal is the answer.
            Task filesSent = Task.Run(() => SendFiles(channel, snapshot, hello.Files, cancellationToken), CancellationToken.None);
            return new ArmedWorker(process, channel, hello, filesSent, answer);
        }
        catch
        {
            channel.Dispose();
            throw;
        }
    }

    /// <summary>Tells an armed worker to load its plugin, importing <paramref name="state"/> first, and reads its answer as <see cref="OpenAsync"/> does.</summary>
    /// <exception cref="PluginException">As <see cref="OpenAsync"/>.</exception>
    public static async Task<WorkerSession> GoAsync(ArmedWorker armed, IReadOnlyList<InstanceState>? state, TimeSpan timeout,
        Func<WorkerSession, WorkerExit, Func<string, PluginException>> onEnded, CancellationToken cancellationToken, Action<WorkerSession, StateCheckpoint>? onCheckpoint = null)
    {
        // The worker reads every file before it reads the go.
        await armed.FilesSent.ConfigureAwait(false);
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            armed.Channel.Send(new Go(state));
        }
        catch (Exception ex) when (MessageChannel.IsGone(ex))
        {
            // The worker is gone or answered already (a refusal, a load error): its answer says which.
        }
        return await AnswerAsync(armed, timeout, onEnded, cancellationToken, onCheckpoint).ConfigureAwait(false);
    }

    private static async Task<WorkerSession> AnswerAsync(ArmedWorker armed, TimeSpan timeout,
        Func<WorkerSession, WorkerExit, Func<string, PluginException>> onEnded, CancellationToken cancellationToken, Action<WorkerSession, StateCheckpoint>? onCheckpoint)
    {
        (WorkerProcess process, MessageChannel channel, Hello hello, Task<WireMessage?> answer) = (armed.Process, armed.Channel, armed.Hello, armed.Answer);
        try
        {
            if (await Task.WhenAny(answer, Task.Delay(timeout, cancellationToken)).ConfigureAwait(false) != answer)
            {
                cancellationToken.ThrowIfCancellationRequested();
                throw await process.FailedToStartAsync(hello.PluginId, hello.PluginDirectory, $"did not answer the handshake and load the plugin within {timeout.TotalSeconds:0.###} s").ConfigureAwait(false);
            }
            WireMessage? message;
            try
            {
                message = await answer.ConfigureAwait(false);
            }
            catch (InvalidDataException ex)
            {
                throw Violation(hello, ex.Message);
            }
            switch (message)
            {
                case Refusal refusal:
                    throw Refused(hello, $"The worker refused the handshake: {refusal.Reason}.");
                case Welcome { ProtocolVersion: var version } when version != hello.ProtocolVersion:
                    throw Refused(hello, $"The host speaks worker protocol {hello.ProtocolVersion}, the worker answered in protocol {version}.");
                case Welcome { Error: RemoteLoadError error }:
                    throw new PluginException(error.Code, hello.PluginId, error.Path, error.Cause, error.Fix);
                case Welcome welcome when welcome.PluginId != hello.PluginId:
                    throw Refused(hello, $"The host started a worker for plugin '{hello.PluginId}'; the worker loaded plugin '{welcome.PluginId}'.");
                case Welcome welcome when welcome.HostApi != hello.HostApi:
                    throw Refused(hello, $"The host runs host API {hello.HostApi}; the worker loaded {welcome.HostApi}.");
                case Welcome welcome:
                    return new WorkerSession(process, channel, welcome, onEnded, onCheckpoint);
                case null:
                    throw await process.FailedToStartAsync(hello.PluginId, hello.PluginDirectory, "closed the connection during the handshake").ConfigureAwait(false);
                default:
                    throw Violation(hello, $"a {message.GetType().Name} instead of a welcome");
            }
        }
        catch
        {
            channel.Dispose();
            throw;
        }
    }

    private static void SendFiles(MessageChannel channel, PluginSnapshot snapshot, IReadOnlyList<SnapshotFileHeader> files, CancellationToken cancellationToken)
    {
        try
        {
            SnapshotTransfer.Send(channel, snapshot, files, cancellationToken);
        }
        catch (Exception ex) when (MessageChannel.IsGone(ex) || ex is OperationCanceledException)
        {
            // The worker closed the connection (a refusal, a crash) or the handshake ended: the answer says which.
        }
    }

    /// <summary>Sends a call; the task completes with its reply, or fails when the worker ends first.</summary>
    public Task<CallReply> CallAsync(int instance, int method, string methodName, IReadOnlyList<JsonElement> arguments, out long id)
    {
        id = Interlocked.Increment(ref _nextId);
        return Send(_pending, id, methodName, new CallRequest(id, instance, method, methodName, arguments));
    }

    /// <summary>
    /// Sends a reload's request for the plugin's state (an <see cref="ExportRequest"/> or <see cref="ImportRequest"/>
    /// made with the id given): the task completes with the worker's answer, or fails as a call does when the worker
    /// ends first. <paramref name="what"/> names it in that error; <paramref name="id"/> is the request's, to forget it.
    /// </summary>
    public Task<WireMessage> RequestAsync(string what, Func<long, WireMessage> request, out long id)
    {
        id = Interlocked.Increment(ref _nextId);
        return Send(_requests, id, what, request(id));
    }

    // Registers what waits for the answer, then sends; a worker that ended (or is ending) fails it instead of leaving it to wait.
    private Task<T> Send<T>(ConcurrentDictionary<long, Pending<T>> waiting, long id, string what, WireMessage message)
    {
        var pending = new Pending<T>(what);
        waiting[id] = pending;
        if (Volatile.Read(ref _ended) == 1)
        {
            // The reader already failed everything it knew of: this must not wait for an answer that cannot come.
            Fail(waiting, id, pending);
            return pending.Reply.Task;
        }
        try
        {
            _channel.Send(message);
        }
        catch (Exception ex) when (MessageChannel.IsGone(ex))
        {
            // The worker is ending: the reader fails everything in flight, this included.
            if (Volatile.Read(ref _ended) == 1)
            {
                Fail(waiting, id, pending);
            }
        }
        return pending.Reply.Task;
    }

    /// <summary>Tells the worker that the caller cancelled call <paramref name="id"/> (best effort: a worker that ended needs no telling).</summary>
    public void Cancel(long id)
    {
        try
        {
            _channel.Send(new CancelRequest(id));
        }
        catch (Exception ex) when (MessageChannel.IsGone(ex))
        {
        }
    }

    /// <summary>Lends the worker a host object for the duration of one call: the plugin's calls on it come back here.</summary>
    public long Lend(object target, Type contract)
    {
        long handle = Interlocked.Increment(ref _nextHandle);
        _handles[handle] = (target, new ContractMethods(contract));
        return handle;
    }

    /// <summary>Ends a loan: the plugin's later calls on the handle are refused.</summary>
    public void Return(long handle) => _handles.TryRemove(handle, out _);

    /// <summary>Forgets a call or a state request (its deadline passed): the worker's end will not fail it again.</summary>
    public void Forget(long id)
    {
        _pending.TryRemove(id, out _);
        _requests.TryRemove(id, out _);
    }

    /// <summary>Asks the worker to stop its plugin and end.</summary>
    public void Shutdown()
    {
        try
        {
            _channel.Send(new Shutdown());
        }
        catch (Exception ex) when (MessageChannel.IsGone(ex))
        {
            // it is gone already
        }
    }

    private Func<string, PluginException>? _endError;

    private void Fail<T>(ConcurrentDictionary<long, Pending<T>> waiting, long id, Pending<T> pending)
    {
        if (waiting.TryRemove(id, out _) && Volatile.Read(ref _endError) is Func<string, PluginException> error)
        {
            pending.Reply.TrySetException(error(pending.MethodName));
        }
    }

    private void ReadReplies()
    {
        try
        {
            while (_channel.Receive() is WireMessage message)
            {
                if (message is CallReply reply && _pending.TryRemove(reply.Id, out Pending<CallReply>? pending))
                {
                    pending.Reply.TrySetResult(reply);
                }
                else if (message is HostCallRequest hostCall)
                {
                    // A callback into the host: on a thread of its own, so that replies keep flowing while it runs.
                    _ = Task.Run(() => ServeHostCallAsync(hostCall));
                }
                else if (message is StateCheckpoint checkpoint)
                {
                    _onCheckpoint?.Invoke(this, checkpoint);
                }
                else if (message is ExportReply or ImportReply)
                {
                    long id = message is ExportReply exported ? exported.Id : ((ImportReply)message).Id;
                    if (_requests.TryRemove(id, out Pending<WireMessage>? request))
                    {
                        request.Reply.TrySetResult(message);
                    }
                }
                else if (message is not CallReply)
                {
                    Process.Kill($"it sent a {message.GetType().Name} during calls, which the protocol does not allow");
                    break;
                }
                // A reply to a call whose deadline passed (forgotten) is dropped.
            }
        }
        catch (InvalidDataException ex)
        {
            Process.Kill($"it sent {ex.Message}, which the protocol does not allow");
        }
        catch (Exception ex) when (MessageChannel.IsGone(ex))
        {
            // the channel was disposed
        }
    }

    private async Task EndAsync(Task read)
    {
        await read.ConfigureAwait(false);
        // The connection ended: the worker is ending or ended. Wait for its exit status (bounded: kill it if it lingers).
        if (await Task.WhenAny(Process.Exited, Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false) != Process.Exited)
        {
            Process.Kill("it closed its connection but did not end");
        }
        WorkerExit exit = await Process.Exited.ConfigureAwait(false);
        Volatile.Write(ref _endError, _onEnded(this, exit));
        Interlocked.Exchange(ref _ended, 1);
        foreach (KeyValuePair<long, Pending<CallReply>> call in _pending)
        {
            Fail(_pending, call.Key, call.Value);
        }
        foreach (KeyValuePair<long, Pending<WireMessage>> request in _requests)
        {
            Fail(_requests, request.Key, request.Value);
        }
        _channel.Dispose();
    }

    private async Task ServeHostCallAsync(HostCallRequest call)
    {
        HostCallReply reply;
        try
        {
            (object target, ContractMethods methods) = _handles.TryGetValue(call.Handle, out var lent) ? lent
                : throw new InvalidOperationException($"The host object the plugin called {call.MethodName} on was lent for a call that has returned; it can be used only during that call.");
            System.Reflection.MethodInfo method = call.Method >= 0 && call.Method < methods.All.Count && methods.All[call.Method].Name == call.MethodName
                ? methods.All[call.Method]
                : throw new InvalidOperationException($"The host object has no method {call.MethodName} at index {call.Method}.");
            reply = new HostCallReply(call.Id, await MethodCall.RunAsync(method, target, MethodCall.Arguments(method, call.Arguments)).ConfigureAwait(false), null);
        }
#pragma warning disable CA1031 // Whatever the host's object throws goes back to the plugin as the callback's error.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            reply = new HostCallReply(call.Id, null, RemoteError.Of(ex));
        }
        try
        {
            _channel.Send(reply);
        }
        catch (Exception ex) when (MessageChannel.IsGone(ex))
        {
            // the worker is gone
        }
    }

    private static PluginException Refused(Hello hello, string cause) =>
        new(PluginErrorCode.WorkerHandshakeRefused, hello.PluginId, hello.PluginDirectory, cause,
            "Run the host with the Plugboard.Worker.dll of its own Plugboard version (the Plugboard reference copies it) and do not let other processes connect to workers.");

    private static PluginException Violation(Hello hello, string what) =>
        new(PluginErrorCode.WorkerProtocolViolation, hello.PluginId, hello.PluginDirectory, $"The worker sent {what} during the handshake.",
            "Run the host with the Plugboard.Worker.dll of its own Plugboard version.");

    private sealed class Pending<T>(string methodName)
    {
        public string MethodName { get; } = methodName;

        public TaskCompletionSource<T> Reply { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
