using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Xml.Serialization;
using TestApi;

namespace LeakCorpusPlugin;

/// <summary>System.Text.Json reflection serialization with the default options (a process-wide cache keyed by type).</summary>
public sealed class StjDefaultOptions : Leak
{
    public override void Apply(Ledger ledger) => ledger.Add(new LedgerEntry(0m, JsonSerializer.Serialize(new PluginRecord())));
}

/// <summary>System.Text.Json with options the plugin owns: their cache is still shared process-wide.</summary>
public sealed class StjOwnedOptions : Leak
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = false };

    public override void Apply(Ledger ledger) => ledger.Add(new LedgerEntry(0m, JsonSerializer.Serialize(new PluginRecord(), Options)));
}

/// <summary>XmlSerializer, which generates and caches a serialization assembly per type.</summary>
public sealed class XmlSerializerUse : Leak
{
    public override void Apply(Ledger ledger)
    {
        using var writer = new StringWriter();
        new XmlSerializer(typeof(PluginRecord)).Serialize(writer, new PluginRecord());
        ledger.Add(new LedgerEntry(0m, writer.ToString()));
    }
}

/// <summary>A handler on a static event of a host API type.</summary>
public sealed class HostStaticEvent : Leak
{
    public HostStaticEvent() => HostEvents.Tick += OnTick;

    private void OnTick(object? sender, string what) { }
}

/// <summary>A handler on AppDomain.ProcessExit.</summary>
public sealed class ProcessExitHandler : Leak
{
    public ProcessExitHandler() => AppDomain.CurrentDomain.ProcessExit += OnProcessExit;

    private void OnProcessExit(object? sender, EventArgs e) { }
}

/// <summary>A handler on Console.CancelKeyPress.</summary>
public sealed class CancelKeyPressHandler : Leak
{
    public CancelKeyPressHandler() => Console.CancelKeyPress += OnCancel;

    private void OnCancel(object? sender, ConsoleCancelEventArgs e) { }
}

/// <summary>A handler on AppDomain.AssemblyResolve.</summary>
public sealed class AssemblyResolveHandler : Leak
{
    public AssemblyResolveHandler() => AppDomain.CurrentDomain.AssemblyResolve += OnResolve;

    private System.Reflection.Assembly? OnResolve(object? sender, ResolveEventArgs e) => null;
}

/// <summary>A handler on AppDomain.UnhandledException.</summary>
public sealed class UnhandledExceptionHandler : Leak
{
    public UnhandledExceptionHandler() => AppDomain.CurrentDomain.UnhandledException += OnUnhandled;

    private void OnUnhandled(object sender, UnhandledExceptionEventArgs e) { }
}

/// <summary>A thread running plugin code that never ends.</summary>
public sealed class ForeverThread : Leak
{
    private static readonly ManualResetEventSlim Never = new(false);

    public ForeverThread() => new Thread(Run) { IsBackground = true, Name = "corpus-thread" }.Start();

    private static void Run() => Never.Wait();
}

/// <summary>A periodic timer whose callback is plugin code, never disposed.</summary>
public sealed class PluginTimer : Leak
{
    private readonly Timer _timer;

    public PluginTimer() => _timer = new Timer(OnTick, null, 60_000, 60_000);

    private void OnTick(object? state) => GC.KeepAlive(_timer);
}

/// <summary>An async loop awaiting Task.Delay, never cancelled.</summary>
public sealed class DelayLoop : Leak
{
    public DelayLoop() => _ = LoopAsync();

    private static async Task LoopAsync()
    {
        while (true)
        {
            await Task.Delay(60_000).ConfigureAwait(false);
        }
    }
}

/// <summary>ThreadPool.RegisterWaitForSingleObject with a plugin callback, never unregistered.</summary>
public sealed class RegisteredWait : Leak
{
    private static readonly AutoResetEvent Signal = new(false);

    public RegisteredWait() => ThreadPool.RegisterWaitForSingleObject(Signal, OnSignal, null, Timeout.Infinite, executeOnlyOnce: false);

    private static void OnSignal(object? state, bool timedOut) { }
}

/// <summary>A strong GC handle to a plugin object, never freed.</summary>
public sealed class StrongHandle : Leak
{
    public StrongHandle() => GCHandle.Alloc(new PluginPayload(), GCHandleType.Normal);
}

/// <summary>A callback registered on a token the host owns, never disposed.</summary>
public sealed class HostTokenRegistration : Leak
{
    public HostTokenRegistration() => HostSignals.Shutdown.Register(OnShutdown);

    private void OnShutdown() { }
}

/// <summary>An AsyncLocal holding a plugin object while the plugin asks the host to start a worker: the worker's ExecutionContext keeps it.</summary>
public sealed class AsyncLocalFlow : Leak
{
    private static readonly AsyncLocal<PluginPayload> Current = new();

    public AsyncLocalFlow()
    {
        Current.Value = new PluginPayload();
        HostWorkers.Start();
    }
}

/// <summary>An observer of DiagnosticListener.AllListeners, never unsubscribed.</summary>
public sealed class DiagnosticListenerSubscription : Leak, IObserver<DiagnosticListener>
{
    public DiagnosticListenerSubscription() => DiagnosticListener.AllListeners.Subscribe(this);

    public void OnCompleted() { }

    public void OnError(Exception error) { }

    public void OnNext(DiagnosticListener value) { }
}

/// <summary>A ThreadLocal whose value was set on a thread-pool thread and never disposed.</summary>
public sealed class ThreadLocalValue : Leak
{
    // object, not PluginPayload: the slots of a ThreadLocal<T> over a plugin type would be statics of the plugin itself.
    private static readonly ThreadLocal<object> PerThread = new();

    public ThreadLocalValue() => Task.Run(() => PerThread.Value = new PluginPayload()).Wait();
}

/// <summary>Leaks nothing: the host keeping its entry instance is the test's doing.</summary>
public sealed class Clean : Leak
{
}
