using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace Plugboard.Isolation;

/// <summary>
/// One worker process: started with the host's own runtime (its <c>dotnet</c> muxer, the exact frameworks and versions
/// the host runs: <see cref="WorkerFrameworks"/>) from the host's folder, given a per-launch secret on its standard input (never on the command line,
/// which every local user can read), listening on a Unix domain socket in a folder only this user can enter. Its
/// standard input stays open: when the host ends, the pipe's end tells the worker to end too. Keeps the last lines the
/// worker wrote to standard error, for the crash report.
/// </summary>
internal sealed class WorkerProcess : IAsyncDisposable
{
    /// <summary>The line a worker prints on standard output once it listens.</summary>
    public const string ListeningLine = "plugboard-worker: listening";

    /// <summary>The prefix of a plugin log line the worker writes to standard error.</summary>
    public const string LogLinePrefix = "plugboard-log|";

    private const int StderrLinesKept = 200;
    private const int ReportLines = 30;

    // The first line of what the runtime prints when it ends a process: the start of the crash report.
    private static readonly string[] ReportStarts = ["Unhandled exception.", "Process terminated.", "Stack overflow.", "Fatal error."];
    private readonly Process _process;
    private readonly DirectoryInfo _socketFolder;
    private readonly Queue<string> _stderrTail = new();
    private readonly Task _stderrDone;
    private readonly Task _stdoutDone;
    private readonly Task<WorkerExit> _exited;
    private string? _killedBecause;
    private int _passedMemoryLimit;

    private WorkerProcess(Process process, DirectoryInfo socketFolder, string secret, string pluginId, ILogger logger, ILogger pluginLogger, long? processMemoryLimit)
    {
        _process = process;
        _socketFolder = socketFolder;
        Secret = secret;
        SocketPath = Path.Combine(socketFolder.FullName, "worker.sock");
        ProcessId = process.Id;
        _stderrDone = Task.Run(() => ReadStderrAsync(pluginId, logger, pluginLogger));
        _stdoutDone = Task.Run(() => ReadStdoutAsync(pluginId, logger));
        _exited = WatchExitAsync();
        if (processMemoryLimit is long limit)
        {
            _ = WorkerMemoryWatch.WatchAsync(process, limit, _exited, resident =>
            {
                Interlocked.Exchange(ref _passedMemoryLimit, 1);
                Kill($"its resident memory ({Mebibytes(resident)} MiB) passed its process memory limit of {Mebibytes(limit)} MiB");
            });
        }
    }

    /// <summary>True once the host killed the worker for passing <see cref="PluginIsolationOptions.ProcessMemoryLimit"/>.</summary>
    public bool PassedMemoryLimit => Volatile.Read(ref _passedMemoryLimit) == 1;

    /// <summary>Bytes as MiB for a message: 128, 130.5.</summary>
    public static string Mebibytes(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);

    public string Secret { get; }

    public string SocketPath { get; }

    public int ProcessId { get; }

    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the process ended and its standard error was read to the end (bounded).</summary>
    public Task<WorkerExit> Exited => _exited;

    /// <summary>
    /// What the worker last wrote to standard error: from the start of the runtime's crash report ("Unhandled
    /// exception.", "Process terminated.", "Stack overflow.") when there is one, else the last lines; at most 30 lines.
    /// </summary>
    public IReadOnlyList<string> StderrTail
    {
        get
        {
            string[] lines;
            lock (_stderrTail)
            {
                lines = [.. _stderrTail];
            }
            int report = Array.FindLastIndex(lines, l => ReportStarts.Any(start => l.StartsWith(start, StringComparison.Ordinal)));
            return report >= 0 ? lines[report..Math.Min(lines.Length, report + ReportLines)] : lines[Math.Max(0, lines.Length - ReportLines)..];
        }
    }

    /// <summary>Where the worker program is: beside Plugboard.dll, where the Plugboard reference copies it.</summary>
    public static string WorkerPath
    {
        get
        {
            string location = typeof(WorkerProcess).Assembly.Location;
            string folder = location.Length > 0 ? Path.GetDirectoryName(location)! : AppContext.BaseDirectory;
            return Path.Combine(folder, "Plugboard.Worker.dll");
        }
    }

    /// <summary>Starts a worker and waits until it listens.</summary>
    /// <exception cref="PluginException">PB0701 (no worker or runtime) or PB0702 (it did not start).</exception>
    public static async Task<WorkerProcess> StartAsync(string pluginId, string pluginDirectory, ILogger logger, ILogger pluginLogger, TimeSpan timeout,
        long? memoryLimit, long? processMemoryLimit, CancellationToken cancellationToken)
    {
        string worker = WorkerPath;
        string runtimeFolder = RuntimeEnvironment.GetRuntimeDirectory();
        string muxer = MuxerPath;
        if (!File.Exists(worker) || !File.Exists(muxer))
        {
            throw new PluginException(PluginErrorCode.WorkerNotFound, pluginId, pluginDirectory,
                !File.Exists(worker) ? $"The worker program for out-of-process plugins is not at {worker}." : $"The runtime's dotnet muxer is not at {muxer} (a host published with NativeAOT or as a single file has none).",
                !File.Exists(worker) ? "Reference the Plugboard package or project from the host (it copies Plugboard.Worker.dll and its runtimeconfig.json beside Plugboard.dll), or publish them with it."
                    : "Run the host on a .NET runtime installed with its dotnet muxer, or run the plugin in process.");
        }
        DirectoryInfo folder = Directory.CreateTempSubdirectory("plugboard-worker-"); // mode 0700 on Unix
        string secret = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        var start = new ProcessStartInfo(muxer)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (memoryLimit is long limit)
        {
            start.Environment["DOTNET_GCHeapHardLimit"] = $"0x{limit:X}";
        }
        // The very frameworks and versions the host runs, not the newest ones installed.
        foreach (string argument in (string[])["exec", .. WorkerFrameworks.ExecArguments(folder.FullName, runtimeFolder), worker,
            Path.Combine(folder.FullName, "worker.sock"), Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            start.ArgumentList.Add(argument);
        }
        Process process;
        try
        {
            process = await WorkerLauncher.StartAsync(start).ConfigureAwait(false);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            folder.Delete(recursive: true);
            throw new PluginException(PluginErrorCode.WorkerStartFailed, pluginId, pluginDirectory, $"The worker process could not be started: {ex.Message}", "Check that the runtime's dotnet muxer can be run by the host's user.", ex);
        }
        var worker_ = new WorkerProcess(process, folder, secret, pluginId, logger, pluginLogger, processMemoryLimit);
        try
        {
            await process.StandardInput.WriteLineAsync(secret.AsMemory(), cancellationToken).ConfigureAwait(false);
            await process.StandardInput.FlushAsync(cancellationToken).ConfigureAwait(false);
            Task first = await Task.WhenAny(worker_._listening.Task, worker_._exited, Task.Delay(timeout, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (first != worker_._listening.Task)
            {
                throw await worker_.FailedToStartAsync(pluginId, pluginDirectory, first == worker_._exited ? "ended before it listened" : $"did not listen within {timeout.TotalSeconds:0.###} s").ConfigureAwait(false);
            }
            return worker_;
        }
        catch
        {
            await worker_.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Connects to the listening worker (synchronously: see <see cref="MessageChannel"/> for why).</summary>
    public MessageChannel Connect()
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(SocketPath));
            return new MessageChannel(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The typed error for a worker that did not come up, with what it wrote to standard error.</summary>
    public async Task<PluginException> FailedToStartAsync(string pluginId, string pluginDirectory, string what)
    {
        Kill("it did not start");
        WorkerExit exit = await _exited.ConfigureAwait(false);
        return new PluginException(PluginErrorCode.WorkerStartFailed, pluginId, pluginDirectory,
            $"The worker process of plugin '{pluginId}' {what} ({exit.Describe()}).{Tail(StderrTail)}",
            "Look at the worker's standard error in the host's log; check that the host's folder has Plugboard.Worker.dll and Plugboard.Worker.runtimeconfig.json beside Plugboard.dll.");
    }

    /// <summary>
    /// The worker's last words for an error message: the crash report's first line (with the next when the first is
    /// only its heading, as "Process terminated." is), else the last line.
    /// </summary>
    public static string Tail(IReadOnlyList<string> lines) =>
        lines.Count == 0 ? string.Empty
        : $" Its last words on standard error: \"{(!ReportStarts.Any(start => lines[0].StartsWith(start, StringComparison.Ordinal)) ? lines[^1]
            : ReportStarts.Contains(lines[0].Trim()) && lines.Count > 1 ? $"{lines[0].Trim()} {lines[1].Trim()}" : lines[0])}\".";

    /// <summary>True once the host killed the worker: no new call may go to it.</summary>
    public bool IsKilled => Volatile.Read(ref _killedBecause) is not null;

    /// <summary>Kills the worker (once); <paramref name="because"/> is how its end is described.</summary>
    public void Kill(string because)
    {
        Interlocked.CompareExchange(ref _killedBecause, because, null);
        try
        {
            _process.Kill();
        }
        catch (InvalidOperationException)
        {
            // it has already ended
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // it is ending
        }
    }

    /// <summary>Closes the worker's standard input: a worker whose host ended sees the same.</summary>
    public void CloseInput()
    {
        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_exited.IsCompleted)
        {
            Kill("the plugin was unloaded");
        }
        await _exited.ConfigureAwait(false);
        _process.Dispose();
        try
        {
            _socketFolder.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task<WorkerExit> WatchExitAsync()
    {
        await _process.WaitForExitAsync().ConfigureAwait(false);
        // Its last words: standard error ends with the process (bounded: a child it started may hold the pipe open).
        await Task.WhenAny(Task.WhenAll(_stderrDone, _stdoutDone), Task.Delay(TimeSpan.FromSeconds(2))).ConfigureAwait(false);
        _listening.TrySetCanceled();
        return new WorkerExit(_process.ExitCode, Volatile.Read(ref _killedBecause));
    }

    private async Task ReadStderrAsync(string pluginId, ILogger logger, ILogger pluginLogger)
    {
        while (await _process.StandardError.ReadLineAsync().ConfigureAwait(false) is string line)
        {
            if (line.StartsWith(LogLinePrefix, StringComparison.Ordinal) && PluginLogLine.TryParse(line.AsSpan(LogLinePrefix.Length), out LogLevel level, out string message))
            {
                Internal.Log.PluginWrote(pluginLogger, level, null, message);
                continue;
            }
            lock (_stderrTail)
            {
                _stderrTail.Enqueue(line);
                while (_stderrTail.Count > StderrLinesKept)
                {
                    _stderrTail.Dequeue();
                }
            }
            Internal.Log.WorkerWrote(logger, pluginId, line);
        }
    }

    private async Task ReadStdoutAsync(string pluginId, ILogger logger)
    {
        while (await _process.StandardOutput.ReadLineAsync().ConfigureAwait(false) is string line)
        {
            if (line == ListeningLine)
            {
                _listening.TrySetResult();
            }
            else
            {
                Internal.Log.WorkerWrote(logger, pluginId, line);
            }
        }
    }

    /// <summary>The <c>dotnet</c> muxer of the running runtime: &lt;root&gt;/shared/Microsoft.NETCore.App/&lt;version&gt;/ → &lt;root&gt;/dotnet.</summary>
    public static string MuxerPath
    {
        get
        {
            string name = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
            return Environment.ProcessPath is string self && Path.GetFileName(self) == name ? self
                : Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..", name));
        }
    }
}
