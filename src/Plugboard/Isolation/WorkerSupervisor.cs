using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Plugboard.Isolation;

/// <summary>
/// Keeps one out-of-process plugin's worker alive: forwards calls to it with a deadline (past it, the hung worker is
/// killed), and when the worker ends on its own (a crash, an exit, a kill from outside), fails the calls in flight at
/// once, logs the end once with the worker's last standard-error lines, and starts a new worker after a backoff that
/// doubles with each crash. After <see cref="PluginIsolationOptions.CrashLimit"/> crashes within the window it gives
/// up: every call fails with <see cref="PluginErrorCode.WorkerCrashLimitReached"/> and the host faults the plugin.
/// </summary>
internal sealed class WorkerSupervisor : IAsyncDisposable
{
    private readonly Func<string, IReadOnlyList<InstanceState>?, Hello> _hello;
    private readonly Trust.PluginSnapshot _snapshot;
    private readonly string _pluginId;
    private readonly string _pluginDirectory;
    private readonly PluginIsolationOptions _options;
    private readonly TimeSpan _stopTimeout;
    private readonly ILogger _logger;
    private readonly ILogger _pluginLogger;
    private readonly Queue<long> _crashes = new();
    private readonly Lock _lock = new();
    private Task<WorkerSession> _current;
    private Task<ArmedWorker>? _standby;
    private PluginException? _gaveUp;
    private volatile bool _stopping;
    private TakenState? _taken;
    private string? _stateProblem; // the last checkpoint problem logged, so that one that persists is logged once

    private WorkerSupervisor(Func<string, IReadOnlyList<InstanceState>?, Hello> hello, Trust.PluginSnapshot snapshot, string pluginId, string pluginDirectory, PluginIsolationOptions options, TimeSpan stopTimeout, ILogger logger, ILogger pluginLogger)
    {
        _hello = hello;
        _snapshot = snapshot;
        _pluginId = pluginId;
        _pluginDirectory = pluginDirectory;
        _options = options;
        _stopTimeout = stopTimeout;
        _logger = logger;
        _pluginLogger = pluginLogger;
        _current = Task.FromException<WorkerSession>(new InvalidOperationException("not started"));
    }

    /// <summary>The entry instances the worker's plugin has.</summary>
    public int Instances { get; private set; }

    /// <summary>Whether the worker's plugin implements <see cref="IPluginStateTransfer"/> (as its last welcome said).</summary>
    public bool TransfersState { get; private set; }

    /// <summary>The process id of the waiting worker (<see cref="PluginIsolationOptions.StandbyWorker"/>), once it is up.</summary>
    public int? StandbyProcessId => Volatile.Read(ref _standby) is { IsCompletedSuccessfully: true } standby ? standby.Result.Process.ProcessId : null;

    /// <summary>The process id of the current worker, when one is up.</summary>
    public int? ProcessId => _current.IsCompletedSuccessfully ? _current.Result.Welcome.ProcessId : null;

    /// <summary>
    /// Starts the first worker; a failure is the plugin's load error (nothing is restarted). <paramref name="hello"/>
    /// makes the hello for a worker started with the given secret and the state to hand it (none at the first start,
    /// the last checkpoint at a restart); every worker, restarted ones too, is handed <paramref name="snapshot"/>'s
    /// bytes (kept for the plugin's life).
    /// </summary>
    public static async Task<WorkerSupervisor> StartAsync(Func<string, IReadOnlyList<InstanceState>?, Hello> hello, Trust.PluginSnapshot snapshot, string pluginId, string pluginDirectory, PluginIsolationOptions options,
        TimeSpan stopTimeout, ILogger logger, ILogger pluginLogger, CancellationToken cancellationToken)
    {
        var supervisor = new WorkerSupervisor(hello, snapshot, pluginId, pluginDirectory, options, stopTimeout, logger, pluginLogger);
        supervisor._current = supervisor.LaunchAsync(cancellationToken);
        WorkerSession session = await supervisor._current.ConfigureAwait(false);
        supervisor.Instances = session.Welcome.Instances;
        supervisor.TransfersState = session.Welcome.TransfersState;
        return supervisor;
    }

    /// <summary>Calls <paramref name="method"/> on entry instance <paramref name="instance"/> in the worker.</summary>
    /// <returns>The result, deserialized as the method's result type (null for none).</returns>
    /// <exception cref="PluginCodeException">The plugin threw; its type, message and stack as text.</exception>
    /// <exception cref="PluginException">PB0705 (the worker ended), PB0706 (deadline), PB0707 (crash limit), PB0710 (data).</exception>
    public async Task<object?> CallAsync(int instance, int methodIndex, MethodInfo method, object?[] arguments)
    {
        // The deadline counts from the moment a live worker has the call (waiting for a restart is bounded apart).
        WorkerSession session = await CurrentAsync(method.Name).ConfigureAwait(false);
        var lent = new List<long>();
        try
        {
            (Task<CallReply> reply, long id, CancellationToken cancellation) = Send(session, instance, methodIndex, method, arguments, lent);
            using CancellationTokenRegistration cancelled = Register(session, id, cancellation);
            // WaitAsync, not a Task.Delay per call: its timer goes as soon as the reply comes.
            bool replied = await Replied(reply, _options.CallTimeout).ConfigureAwait(false);
            (object? result, Exception? failure, bool workerKilled) = Conclude(session, id, method, reply, replied, cancellation);
            if (failure is null)
            {
                return result;
            }
            if (workerKilled)
            {
                await Task.WhenAny(session.Ended, Task.Delay(KilledWorkerEndWait)).ConfigureAwait(false);
            }
            throw failure;
        }
        finally
        {
            Return(session, lent);
        }
    }

    /// <summary>
    /// <see cref="CallAsync"/> for a synchronous method, from the arguments to the result on the caller's thread, which
    /// blocks on the reply: the worker's reply wakes it directly, with no pool thread and no timer in between. While a
    /// restart is under way it waits as <see cref="CallAsync"/> does.
    /// </summary>
    /// <exception cref="PluginCodeException">As <see cref="CallAsync"/>.</exception>
    /// <exception cref="PluginException">As <see cref="CallAsync"/>.</exception>
    public object? Call(int instance, int methodIndex, MethodInfo method, object?[] arguments)
    {
        Task<WorkerSession> current = Volatile.Read(ref _current);
        if (!current.IsCompletedSuccessfully || current.Result.Process.IsKilled || Volatile.Read(ref _gaveUp) is not null)
        {
            return CallAsync(instance, methodIndex, method, arguments).GetAwaiter().GetResult();
        }
        WorkerSession session = current.Result;
        var lent = new List<long>();
        try
        {
            (Task<CallReply> reply, long id, CancellationToken cancellation) = Send(session, instance, methodIndex, method, arguments, lent);
            using CancellationTokenRegistration cancelled = Register(session, id, cancellation);
            bool replied = Wait(reply, _options.CallTimeout);
            (object? result, Exception? failure, bool workerKilled) = Conclude(session, id, method, reply, replied, cancellation);
            if (failure is null)
            {
                return result;
            }
            if (workerKilled)
            {
                Wait(session.Ended, KilledWorkerEndWait);
            }
            throw failure;
        }
        finally
        {
            Return(session, lent);
        }
    }

    /// <summary>
    /// A reload's export: the plugin's state now, taken by the worker with no call running; after the crash limit,
    /// when no worker is left, the last state a worker took (none without checkpoints).
    /// </summary>
    /// <exception cref="PluginException">The worker ended first (PB0705), or did not answer within the call deadline and was killed (PB0706).</exception>
    /// <exception cref="InvalidOperationException">The worker could not take the state: its reason (the plugin threw, the state cannot cross).</exception>
    public async Task<IReadOnlyList<InstanceState>> ExportStateAsync()
    {
        if (Volatile.Read(ref _gaveUp) is not null)
        {
            // No worker is left to ask (the reload is the way out of the crash limit): the last state one took.
            return Volatile.Read(ref _taken)?.States ?? [];
        }
        var reply = (ExportReply)await RequestAsync("ExportState", id => new ExportRequest(id)).ConfigureAwait(false);
        return reply.Problem is string problem ? throw new InvalidOperationException(problem) : reply.Instances;
    }

    /// <summary>A reload's import into this new version's worker, before its first call.</summary>
    /// <exception cref="PluginException">As <see cref="ExportStateAsync"/>.</exception>
    /// <exception cref="InvalidOperationException">The worker could not import the state: its reason.</exception>
    public async Task ImportStateAsync(IReadOnlyList<InstanceState> states)
    {
        var reply = (ImportReply)await RequestAsync("ImportState", id => new ImportRequest(id, states)).ConfigureAwait(false);
        if (reply.Problem is string problem)
        {
            throw new InvalidOperationException(problem);
        }
        // Until this worker takes a state of its own, a restart hands its successor the one it imported.
        Volatile.Write(ref _taken, new TakenState(states, Environment.TickCount64));
    }

    // A state request is plugin code in the worker, bounded like a call: past the deadline the hung worker is killed, as for a call.
    private async Task<WireMessage> RequestAsync(string what, Func<long, WireMessage> request)
    {
        WorkerSession session = await CurrentAsync(what).ConfigureAwait(false);
        Task<WireMessage> reply = session.RequestAsync(what, request, out long id);
        if (!await Replied(reply, _options.CallTimeout).ConfigureAwait(false))
        {
            PluginException timedOut = TimedOut(session, id, what);
            await Task.WhenAny(session.Ended, Task.Delay(KilledWorkerEndWait)).ConfigureAwait(false);
            throw timedOut;
        }
        return await reply.ConfigureAwait(false);
    }

    // The arguments on the wire (a host object lent by handle, a token kept here), and the call sent.
    private (Task<CallReply> Reply, long Id, CancellationToken Cancellation) Send(WorkerSession session, int instance, int methodIndex, MethodInfo method, object?[] arguments, List<long> lent)
    {
        ParameterInfo[] parameters = method.GetParameters();
        var json = new JsonElement[arguments.Length];
        CancellationToken cancellation = CancellationToken.None;
        for (int i = 0; i < arguments.Length; i++)
        {
            if (BoundaryCheck.IsPassedByHandle(parameters[i].ParameterType))
            {
                // A host object: lent to the worker for this call; its calls come back to it (callbacks).
                json[i] = JsonSerializer.SerializeToElement<long?>(arguments[i] is object target ? Lend(session, target, parameters[i].ParameterType, lent) : null);
                continue;
            }
            if (parameters[i].ParameterType == typeof(CancellationToken))
            {
                // The token itself stays here; the worker gives the plugin one it cancels when this one is.
                cancellation = (CancellationToken)arguments[i]!;
                json[i] = JsonSerializer.SerializeToElement(false, WorkerProtocol.Json);
                continue;
            }
            try
            {
                json[i] = JsonSerializer.SerializeToElement(arguments[i], parameters[i].ParameterType, WorkerProtocol.Json);
            }
            catch (Exception ex) when (ex is NotSupportedException or JsonException or InvalidOperationException)
            {
                throw NotSerializable($"argument '{parameters[i].Name}' of {method.Name}", ex);
            }
        }
        Task<CallReply> reply = session.CallAsync(instance, methodIndex, method.Name, json, out long id);
        return (reply, id, cancellation);
    }

    // How long a call whose worker was killed waits for that worker's end before it throws.
    private static readonly TimeSpan KilledWorkerEndWait = TimeSpan.FromSeconds(10);

    private static CancellationTokenRegistration Register(WorkerSession session, long id, CancellationToken cancellation) =>
        cancellation.CanBeCanceled ? cancellation.Register(() => session.Cancel(id)) : default;

    private static void Return(WorkerSession session, List<long> lent)
    {
        foreach (long handle in lent)
        {
            session.Return(handle);
        }
    }

    /// <summary>
    /// What a call comes to once its wait is over (<paramref name="replied"/>: within the deadline): its result, or
    /// what it throws. With <c>WorkerKilled</c>, the worker was killed (past the deadline, past its memory limit), and
    /// the caller waits for its end before it throws, so that the end (and the restart it starts) is decided before
    /// the call returns, and the next call goes to the new worker.
    /// </summary>
    /// <exception cref="PluginException">The worker ended before it replied (the reply's own error).</exception>
    private (object? Result, Exception? Failure, bool WorkerKilled) Conclude(WorkerSession session, long id, MethodInfo method, Task<CallReply> reply, bool replied,
        CancellationToken cancellation)
    {
        if (!replied)
        {
            return (null, TimedOut(session, id, method.Name), true);
        }
        CallReply answer = reply.GetAwaiter().GetResult();
        return Failure(session, method, answer, cancellation, out bool workerKilled) is Exception failure
            ? (null, failure, workerKilled)
            : (Result(method, answer), null, false);
    }

    // A call past its deadline: the hung worker is killed (its end starts the restart); the caller waits for that end, then throws this.
    private PluginException TimedOut(WorkerSession session, long id, string method)
    {
        session.Forget(id);
        string because = $"the call to {method} did not return within its deadline of {_options.CallTimeout.TotalSeconds:0.###} s";
        Internal.Log.WorkerCallTimedOut(_logger, _pluginId, method, _options.CallTimeout.TotalSeconds, session.Welcome.ProcessId);
        session.Process.Kill(because);
        return new PluginException(PluginErrorCode.WorkerCallTimedOut, _pluginId, _pluginDirectory,
            $"The call to {method} of plugin '{_pluginId}' did not return within {_options.CallTimeout.TotalSeconds:0.###} s; its worker process ({session.Welcome.ProcessId}) was killed and is restarted.",
            "Find out why the call hangs, or raise PluginIsolationOptions.CallTimeout; the next call goes to the restarted worker.");
    }

    // An error reply from a worker past its memory limit: the worker is killed, and this is what the call throws.
    private PluginException? MemoryLimitPassed(WorkerSession session, MethodInfo method, RemoteError error)
    {
        if (error is not { Type: "System.OutOfMemoryException" } || _options.MemoryLimit is not long limit)
        {
            return null;
        }
        // Past its heap limit the worker's state is not to be trusted (any allocation of any thread may have failed): a new one.
        session.Process.Kill($"the call to {method.Name} passed the worker's memory limit of {WorkerProcess.Mebibytes(limit)} MiB");
        return new PluginException(PluginErrorCode.WorkerMemoryLimitExceeded, _pluginId, _pluginDirectory,
            $"The call to {method.Name} of plugin '{_pluginId}' allocated past its worker's memory limit of {WorkerProcess.Mebibytes(limit)} MiB (managed heap); the worker (pid {session.Welcome.ProcessId}) was killed and is restarted.",
            "Find what the plugin allocates without bound, or raise PluginIsolationOptions.MemoryLimit.", error.ToException());
    }

    // What the call throws for an error reply, if it does; workerKilled: the caller waits for the worker's end first.
    private Exception? Failure(WorkerSession session, MethodInfo method, CallReply answer, CancellationToken cancellation, out bool workerKilled)
    {
        workerKilled = false;
        if (answer.Error is not RemoteError error)
        {
            return null;
        }
        if (MemoryLimitPassed(session, method, error) is PluginException memory)
        {
            workerKilled = true;
            return memory;
        }
        // The plugin gave up because the caller cancelled: the caller sees the cancellation it asked for, as in process.
        return cancellation.IsCancellationRequested && error.Type is "System.OperationCanceledException" or "System.Threading.Tasks.TaskCanceledException"
            ? new OperationCanceledException(error.Message, error.ToException(), cancellation)
            : error.ToException();
    }

    private object? Result(MethodInfo method, CallReply answer)
    {
        if (ContractMethods.ResultType(method) is not Type resultType || answer.Result is not JsonElement result)
        {
            return null;
        }
        try
        {
            return result.Deserialize(resultType, WorkerProtocol.Json);
        }
        catch (Exception ex) when (ex is NotSupportedException or JsonException or InvalidOperationException)
        {
            throw NotSerializable($"the result of {method.Name}", ex);
        }
    }

    /// <summary>Stops the worker: its plugin's stop hooks run in it (bounded by the stop timeout), then it ends or is killed.</summary>
    public async ValueTask DisposeAsync()
    {
        _stopping = true;
        if (Interlocked.Exchange(ref _standby, null) is Task<ArmedWorker> standby)
        {
            await StopStandbyAsync(standby).ConfigureAwait(false);
        }
        WorkerSession? session = _current.IsCompletedSuccessfully ? _current.Result : null;
        if (session is not null)
        {
            session.Shutdown();
            if (await Task.WhenAny(session.Ended, Task.Delay(_stopTimeout + TimeSpan.FromSeconds(2))).ConfigureAwait(false) != session.Ended)
            {
                session.Process.Kill("the plugin was unloaded and its worker did not end within the stop timeout");
            }
            await session.Process.DisposeAsync().ConfigureAwait(false);
        }
        else
        {
            // A restart may be under way: whatever it brings up is stopped as soon as it is up.
            try
            {
                WorkerSession late = await _current.ConfigureAwait(false);
                late.Process.Kill("the plugin was unloaded");
                await late.Process.DisposeAsync().ConfigureAwait(false);
            }
#pragma warning disable CA1031 // A restart that failed leaves nothing to stop.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }

    private async Task<WorkerSession> CurrentAsync(string methodName)
    {
        if (Volatile.Read(ref _gaveUp) is PluginException gaveUp)
        {
            throw gaveUp;
        }
        Task<WorkerSession> current = Volatile.Read(ref _current);
        if (current.IsFaulted && !_stopping)
        {
            // The last restart failed (logged then): this call tries once more, and the calls after it wait for that try.
            lock (_lock)
            {
                if (Volatile.Read(ref _current) == current)
                {
                    Volatile.Write(ref _current, RestartAsync(TimeSpan.Zero, 0));
                }
                current = Volatile.Read(ref _current);
            }
        }
        // A restart is under way: wait for it, bounded by the time a restart may take.
        TimeSpan bound = _options.MaxRestartDelay + _options.StartTimeout;
        if (!current.IsCompleted && !await Replied(current, bound).ConfigureAwait(false))
        {
            throw new PluginException(PluginErrorCode.WorkerStartFailed, _pluginId, _pluginDirectory,
                $"The call to {methodName} waited {bound.TotalSeconds:0.###} s for the worker of plugin '{_pluginId}' to restart.",
                "Look at the host's log for why the worker does not come back; raise PluginIsolationOptions.StartTimeout on a slow machine.");
        }
        try
        {
            WorkerSession session = await current.ConfigureAwait(false);
            if (session.Process.IsKilled && await Task.WhenAny(session.Ended, Task.Delay(TimeSpan.FromSeconds(10))).ConfigureAwait(false) == session.Ended
                && Volatile.Read(ref _gaveUp) is null)
            {
                // Killed by another call's deadline: its successor is on the way.
                return await Volatile.Read(ref _current).ConfigureAwait(false);
            }
            return session;
        }
        catch (PluginException) when (Volatile.Read(ref _gaveUp) is PluginException limit)
        {
            throw limit;
        }
    }

    private async Task<WorkerSession> LaunchAsync(CancellationToken cancellationToken, TakenState? handed = null)
    {
        // An armed worker (waiting, or armed during the restart delay) only needs the go; else a process starts now.
        ArmedWorker? armed = await TakeStandbyAsync().ConfigureAwait(false);
        WorkerProcess process = armed?.Process ?? await StartProcessAsync(cancellationToken).ConfigureAwait(false);
        WorkerSession session;
        try
        {
            session = armed is not null
                ? await WorkerSession.GoAsync(armed, handed?.States, _options.StartTimeout, OnEnded, cancellationToken, OnCheckpoint).ConfigureAwait(false)
                : await WorkerSession.OpenAsync(process, _hello(process.Secret, handed?.States), _snapshot, _options.StartTimeout, OnEnded, cancellationToken, OnCheckpoint).ConfigureAwait(false);
        }
        catch
        {
            await process.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        if (handed is not null)
        {
            long age = Environment.TickCount64 - handed.TakenAt;
            if (session.Welcome.StateProblem is string problem)
            {
                Internal.Log.WorkerStateNotHandedOver(_logger, new PluginException(PluginErrorCode.WorkerStateNotHandedOver, _pluginId, _pluginDirectory,
                    $"The state of plugin '{_pluginId}' taken {age} ms before the restart was not handed to its restarted worker (pid {session.Welcome.ProcessId}): {problem}. The plugin serves without it.",
                    "Make ImportState accept what ExportState returns (the same host API or framework type, read back from JSON).").Message);
            }
            else
            {
                Internal.Log.WorkerStateHandedOver(_logger, _pluginId, age, session.Welcome.ProcessId);
            }
        }
        if (_options.StandbyWorker && !_stopping)
        {
            // Behind the worker that now serves, the next one starts and waits; a start that fails only means the
            // next restart starts its own process (the failure is logged when that restart finds it, TakeStandbyAsync).
            Task<ArmedWorker> next = StartStandbyAsync();
            Volatile.Write(ref _standby, next);
            if (_stopping && Interlocked.CompareExchange(ref _standby, null, next) == next)
            {
                // Unloaded meanwhile, after DisposeAsync looked for a waiting worker: this one is stopped here.
                _ = StopStandbyAsync(next);
            }
        }
        return session;
    }

    private static async Task StopStandbyAsync(Task<ArmedWorker> standby)
    {
        try
        {
            await (await standby.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A waiting worker that failed to start leaves nothing to stop.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    /// <summary>
    /// A worker for the next restart: started, given the hello and the files, the plugin inspected, waiting for the go
    /// (none of the plugin's code runs until then, so none of it runs twice).
    /// </summary>
    private async Task<ArmedWorker> StartStandbyAsync()
    {
        WorkerProcess process = await StartProcessAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            return WorkerSession.Arm(process, _hello(process.Secret, null) with { AwaitsGo = true }, _snapshot, CancellationToken.None);
        }
        catch
        {
            await process.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private Task<WorkerProcess> StartProcessAsync(CancellationToken cancellationToken) =>
        WorkerProcess.StartAsync(_pluginId, _pluginDirectory, _logger, _pluginLogger, _options.StartTimeout, _options.MemoryLimit, _options.ProcessMemoryLimit, cancellationToken);

    /// <summary>The armed worker, when one is up, alive and still waiting; null when a new process must be started.</summary>
    private async Task<ArmedWorker?> TakeStandbyAsync()
    {
        Task<ArmedWorker>? standby = Interlocked.Exchange(ref _standby, null);
        if (standby is null)
        {
            return null;
        }
        try
        {
            // Still starting (a crash right after the last restart): waiting for it is never slower than starting anew.
            ArmedWorker armed = await standby.ConfigureAwait(false);
            if (armed.IsWaiting)
            {
                return armed;
            }
            // It ended, or answered before the go (it refused, or could not inspect the plugin): a new process
            // started now gives the restart that very answer, as its error.
            await armed.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is PluginException || MessageChannel.IsGone(ex))
        {
            Internal.Log.WorkerRestartFailed(_logger, _pluginId, ex.Message);
        }
        return null;
    }

    /// <summary>Decides, once per worker end, what the calls in flight are told, and whether and when a new worker starts.</summary>
    private Func<string, PluginException> OnEnded(WorkerSession session, WorkerExit exit)
    {
        if (_stopping)
        {
            return method => new PluginException(PluginErrorCode.PluginUnloaded, _pluginId, _pluginDirectory,
                $"The plugin was unloaded while {method} was running in its worker.", "Do not call a plugin while unloading it.");
        }
        IReadOnlyList<string> tail = session.Process.StderrTail;
        int crashes;
        bool limitReached;
        TimeSpan delay;
        lock (_lock)
        {
            long now = Environment.TickCount64;
            _crashes.Enqueue(now);
            while (_crashes.Count > 0 && now - _crashes.Peek() > (long)_options.CrashWindow.TotalMilliseconds)
            {
                _crashes.Dequeue();
            }
            crashes = _crashes.Count;
            limitReached = _options.CrashLimit > 0 && crashes >= _options.CrashLimit;
            delay = TimeSpan.FromTicks(Math.Min(_options.MaxRestartDelay.Ticks, _options.RestartDelay.Ticks * (1L << Math.Min(crashes - 1, 20))));
        }
        string what = $"The process of plugin '{_pluginId}' (pid {session.Welcome.ProcessId}) {exit.Describe()}";
        string count = _options.CrashLimit > 0 ? $"crash {crashes} of {_options.CrashLimit} within {_options.CrashWindow.TotalMinutes:0.###} min" : $"crash {crashes}, no crash limit";
        Internal.Log.WorkerEnded(_logger, _pluginId, $"{what}; {count}",
            tail.Count == 0 ? "(nothing)" : string.Join(Environment.NewLine, tail));
        if (limitReached)
        {
            var gaveUp = new PluginException(PluginErrorCode.WorkerCrashLimitReached, _pluginId, _pluginDirectory,
                $"{what}: crash {crashes} of {_options.CrashLimit} within {_options.CrashWindow.TotalMinutes:0.###} min, so it is not restarted.{WorkerProcess.Tail(tail)}",
                "Fix the plugin and reload it (a reload starts a new worker); the host's log has each crash with the worker's last lines on standard error.");
            Volatile.Write(ref _gaveUp, gaveUp);
            Internal.Log.WorkerCrashLimitReached(_logger, _pluginId, crashes, _options.CrashWindow.TotalMinutes);
            return method => new PluginException(PluginErrorCode.WorkerCrashLimitReached, _pluginId, _pluginDirectory,
                $"{what} while {method} was running: crash {crashes} of {_options.CrashLimit} within {_options.CrashWindow.TotalMinutes:0.###} min, so it is not restarted.{WorkerProcess.Tail(tail)}",
                gaveUp.Fix);
        }
        Volatile.Write(ref _current, RestartAsync(delay, crashes));
        _ = session.Process.DisposeAsync().AsTask();
        if (session.Process.PassedMemoryLimit)
        {
            return method => new PluginException(PluginErrorCode.WorkerMemoryLimitExceeded, _pluginId, _pluginDirectory,
                $"{what} while {method} was running.",
                $"Find what the plugin allocates without bound (native memory counts), or raise PluginIsolationOptions.ProcessMemoryLimit. The call was not retried; the worker is restarted ({count}).");
        }
        return method => new PluginException(PluginErrorCode.WorkerCrashed, _pluginId, _pluginDirectory,
            $"{what} while {method} was running.{WorkerProcess.Tail(tail)}",
            $"The call was not retried: retry it if that is safe. The worker is restarted ({count}); the host's log has its last lines on standard error.");
    }

    private async Task<WorkerSession> RestartAsync(TimeSpan delay, int crashes)
    {
        // The delay holds back the plugin's code, not the worker: without one waiting already, a worker starts now
        // and arms itself (hello, files, inspection; none of the plugin's code) during the delay, and the restart
        // after it only says go (it takes the armed worker as it takes a StandbyWorker's).
        if (!_stopping && Volatile.Read(ref _standby) is null)
        {
            Task<ArmedWorker> arming = StartStandbyAsync();
            if (Interlocked.CompareExchange(ref _standby, arming, null) is not null
                || (_stopping && Interlocked.CompareExchange(ref _standby, null, arming) == arming))
            {
                // Another waits already, or the plugin was unloaded meanwhile (after DisposeAsync looked): not needed.
                _ = StopStandbyAsync(arming);
            }
        }
        await Task.Delay(delay).ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        try
        {
            WorkerSession session = await LaunchAsync(CancellationToken.None, Volatile.Read(ref _taken)).ConfigureAwait(false);
            if (_stopping)
            {
                session.Process.Kill("the plugin was unloaded");
            }
            Internal.Log.WorkerRestarted(_logger, _pluginId, session.Welcome.ProcessId, crashes, delay.TotalMilliseconds, clock.ElapsedMilliseconds);
            Instances = session.Welcome.Instances;
            TransfersState = session.Welcome.TransfersState;
            return session;
        }
        catch (PluginException ex)
        {
            Internal.Log.WorkerRestartFailed(_logger, _pluginId, ex.Message);
            throw;
        }
    }

    /// <summary>Keeps the worker's last good state for a restart; a problem is logged (once while it persists) and the last good state kept.</summary>
    private void OnCheckpoint(WorkerSession session, StateCheckpoint checkpoint)
    {
        if (checkpoint.Problem is string problem)
        {
            if (Interlocked.Exchange(ref _stateProblem, problem) != problem)
            {
                TakenState? last = Volatile.Read(ref _taken);
                string kept = last is null ? "a restart now hands over no state"
                    : $"a restart hands over the last state taken, {Environment.TickCount64 - last.TakenAt} ms ago";
                Internal.Log.WorkerStateNotHandedOver(_logger, new PluginException(PluginErrorCode.WorkerStateNotHandedOver, _pluginId, _pluginDirectory,
                    $"The worker of plugin '{_pluginId}' (pid {session.Welcome.ProcessId}) could not take the plugin's state: {problem}. Until it can, {kept}.",
                    "Make ExportState return host API types, framework types or bytes that JSON can carry, and not throw.").Message);
            }
            return;
        }
        Volatile.Write(ref _stateProblem, null);
        Volatile.Write(ref _taken, new TakenState(checkpoint.Instances, Environment.TickCount64));
        Internal.Log.WorkerStateTaken(_logger, _pluginId, session.Welcome.ProcessId, checkpoint.Instances.Sum(i => i.State.GetRawText().Length));
    }

    /// <summary>A state the worker took, and when (<see cref="Environment.TickCount64"/>).</summary>
    private sealed record TakenState(IReadOnlyList<InstanceState> States, long TakenAt);

    private static long Lend(WorkerSession session, object target, Type contract, List<long> lent)
    {
        long handle = session.Lend(target, contract);
        lent.Add(handle);
        return handle;
    }

    /// <summary>Whether <paramref name="task"/> completed (in any way) within <paramref name="timeout"/>, blocking the calling thread.</summary>
    private static bool Wait(Task task, TimeSpan timeout)
    {
        try
        {
            return task.Wait(timeout);
        }
        catch (AggregateException)
        {
            return true; // it failed: its own outcome is read by the caller
        }
    }

    /// <summary>Whether <paramref name="task"/> completed (in any way) within <paramref name="timeout"/>.</summary>
    private static async Task<bool> Replied(Task task, TimeSpan timeout)
    {
        try
        {
            await task.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return task.IsCompleted;
        }
#pragma warning disable CA1031 // The task's own outcome is read by the caller; here only whether it ended counts.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
        return true;
    }

    private PluginException NotSerializable(string what, Exception ex) =>
        new(PluginErrorCode.CallDataNotSerializable, _pluginId, _pluginDirectory, $"{char.ToUpperInvariant(what[0])}{what[1..]} cannot cross to the plugin's worker: {ex.Message}",
            "Pass and return serializable host API data only (docs/isolation.md says what crosses); run the plugin in process to pass anything else.", ex);
}
