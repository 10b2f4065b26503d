using System.Runtime.CompilerServices;
using IsolationApi;
using Plugboard;

namespace CrashingPlugin;

/// <summary>
/// Ends its process on request, each crash kind the way real plugins do; otherwise a well-behaved probe, whose memory
/// (<see cref="Remember"/>) is its state: exported as the host API's <see cref="ProbeMemory"/>, or, once it remembers
/// "#fail-export", "#export-own-type" or "#fail-import", made to fail at exporting or at importing it ("#hang-export":
/// its export never returns).
/// </summary>
public sealed class CrashingProbe : IProbe, IPluginLifecycle, IPluginStateTransfer
{
    private IPluginContext? _context;
    private readonly List<string> _memory = [];

    public IReadOnlyList<string> Remember(string item)
    {
        _memory.Add(item);
        return [.. _memory];
    }

    public object? ExportState() =>
        _memory.Contains("#fail-export") ? throw new InvalidOperationException("told to fail its export")
        : _memory.Contains("#hang-export") ? HangForever()
        : _memory.Contains("#export-own-type") ? new OwnMemory([.. _memory])
        : _memory.Count == 0 ? null
        : new ProbeMemory([.. _memory]);

    public void ImportState(object state)
    {
        var memory = (ProbeMemory)state;
        if (memory.Items.Contains("#fail-import"))
        {
            throw new InvalidOperationException("told to fail its import");
        }
        _memory.AddRange(memory.Items);
    }

    private static object HangForever()
    {
        Thread.Sleep(Timeout.Infinite);
        return null!;
    }

    /// <summary>A type of the plugin's own, which a restarted worker cannot read before the plugin is loaded.</summary>
    public sealed record OwnMemory(IReadOnlyList<string> Items);

    public int ProcessId() => Environment.ProcessId;

    public string Echo(string text) => $"echo: {text}";

    public Receipt Tally(Order order) =>
        new(order.Customer, order.Lines.Sum(l => l.Quantity * l.Price), order.Lines.Sum(l => l.Quantity), Environment.ProcessId);

    public async Task<Receipt> TallyAsync(Order order)
    {
        await Task.Yield();
        return Tally(order);
    }

    public void Throw(string message) => throw new InvalidOperationException(message);

    public string Crash(CrashKind kind)
    {
        switch (kind)
        {
            case CrashKind.ThreadException:
                new Thread(() => throw new InvalidOperationException("thrown on a plugin thread")).Start();
                break;
            case CrashKind.FailFast:
                Environment.FailFast("the plugin gave up");
                break;
            case CrashKind.Exit42:
                Environment.Exit(42);
                break;
            case CrashKind.StackOverflow:
                return Recurse(0).ToString(System.Globalization.CultureInfo.InvariantCulture);
            case CrashKind.WaitForKill:
                _context?.Log.Write(PluginLogLevel.Information, "waiting to be killed");
                break;
        }
        Thread.Sleep(Timeout.Infinite);
        return "unreachable";
    }

    public string Hang()
    {
        _context?.Log.Write(PluginLogLevel.Information, "hanging");
        Thread.Sleep(Timeout.Infinite);
        return "unreachable";
    }

    private IWordSink? _lastSink;

    public void AddLater(string word) => _lastSink!.Add(word);

    public int CollectWords(string text, IWordSink words)
    {
        _lastSink = words;
        foreach (string word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            words.Add(word);
        }
        return words.DescribeAsync().GetAwaiter().GetResult() == "ok" ? words.Count : -1;
    }

    public int Hog()
    {
        var kept = new List<byte[]>();
        while (true)
        {
            var block = new byte[1 << 20];
            Array.Fill(block, (byte)1);
            kept.Add(block);
        }
    }

    public int HogNative()
    {
        // Bounded, so that a host that does not stop it sees a result instead of the machine running out of memory.
        var kept = new List<IntPtr>();
        try
        {
            while (kept.Count < 4096)
            {
                IntPtr block = System.Runtime.InteropServices.Marshal.AllocHGlobal(1 << 20);
                kept.Add(block);
                for (int page = 0; page < 1 << 20; page += 4096)
                {
                    System.Runtime.InteropServices.Marshal.WriteByte(block, page, 1);
                }
            }
            return kept.Count;
        }
        finally
        {
            kept.ForEach(System.Runtime.InteropServices.Marshal.FreeHGlobal);
        }
    }

    public async Task<string> WaitForCancelAsync(CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.Infinite, cancellationToken);
        return "unreachable";
    }

    public string Setting(string key) =>
        $"{(_context?.Settings.TryGetValue(key, out string? value) == true ? value : "(none)")}; initialized in {_context?.PluginId ?? "(not initialized)"}";

    public Task InitializeAsync(IPluginContext context, CancellationToken cancellationToken)
    {
        _context = context;
        if (context.Settings.TryGetValue("refuse-to-start", out string? refuse) && refuse == "yes")
        {
            throw new InvalidOperationException("told by its settings to refuse to start");
        }
        context.Log.Write(PluginLogLevel.Information, $"initialized in process {Environment.ProcessId}");
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Recurse(int depth) => Recurse(depth + 1) + 1;
}
