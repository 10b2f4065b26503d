using System.Collections.Concurrent;
using System.Text.Json;
using Plugboard.Isolation;

namespace Plugboard.Serving;

/// <summary>
/// The worker's calls back into the host (on objects the host passed by handle): each goes out with an id, and the
/// worker's reader completes it when the host's reply comes. A worker whose host is gone ends, so none waits forever.
/// </summary>
internal sealed class HostCalls(MessageChannel channel)
{
    private readonly ConcurrentDictionary<long, TaskCompletionSource<HostCallReply>> _pending = new();
    private long _nextId;

    public async Task<JsonElement?> CallAsync(long handle, int method, string methodName, IReadOnlyList<JsonElement> arguments)
    {
        long id = Interlocked.Increment(ref _nextId);
        var reply = new TaskCompletionSource<HostCallReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        channel.Send(new HostCallRequest(id, handle, method, methodName, arguments));
        HostCallReply answer = await reply.Task.ConfigureAwait(false);
        return answer.Error is RemoteError error ? throw error.ToException() : answer.Result;
    }

    public void Complete(HostCallReply reply)
    {
        if (_pending.TryRemove(reply.Id, out TaskCompletionSource<HostCallReply>? pending))
        {
            pending.TrySetResult(reply);
        }
    }
}
