namespace Plugboard.Isolation;

/// <summary>
/// A worker started ahead of a restart (<see cref="PluginIsolationOptions.StandbyWorker"/>) that has the hello and the
/// plugin's files, has inspected the plugin and waits for the go (<see cref="WorkerSession.GoAsync"/>): what a restart
/// then pays is the plugin's load and first call, not a process, a handshake and a transfer.
/// </summary>
internal sealed class ArmedWorker(WorkerProcess process, MessageChannel channel, Hello hello, Task filesSent, Task<WireMessage?> answer) : IAsyncDisposable
{
    public WorkerProcess Process { get; } = process;

    public MessageChannel Channel { get; } = channel;

    public Hello Hello { get; } = hello;

    /// <summary>Completes once the plugin's files are sent, or their sending stopped (the worker closed the connection): the go comes after them.</summary>
    public Task FilesSent { get; } = filesSent;

    /// <summary>The worker's answer: it comes after the go, or before it when the worker refused, failed to inspect the plugin, or ended.</summary>
    public Task<WireMessage?> Answer { get; } = answer;

    /// <summary>Whether it still waits for the go: alive, and nothing answered yet.</summary>
    public bool IsWaiting => !Process.Exited.IsCompleted && !Answer.IsCompleted;

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await Process.DisposeAsync().ConfigureAwait(false);
    }
}
