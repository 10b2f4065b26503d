using System.Buffers.Binary;

namespace Plugboard.Isolation;

/// <summary>
/// Frames <see cref="WireMessage"/>s over a stream: a 4-byte big-endian length, then that many bytes of UTF-8 JSON.
/// Writes are serialized by a lock (calls from many threads share one socket); reads belong to one reader loop.
/// </summary>
internal sealed class MessageChannel(Stream stream) : IDisposable
{
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly byte[] _header = new byte[4];

    public async Task SendAsync(WireMessage message, CancellationToken cancellationToken)
    {
        byte[] body = WireCodec.Write(message);
        var header = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(header, body.Length);
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await stream.WriteAsync(header, cancellationToken).ConfigureAwait(false);
            await stream.WriteAsync(body, cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>The next message; null at the end of the stream (the other side closed or died).</summary>
    /// <exception cref="InvalidDataException">The frame is oversized or not a message.</exception>
    public async Task<WireMessage?> ReceiveAsync(CancellationToken cancellationToken)
    {
        if (!await FillAsync(_header, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }
        int length = BinaryPrimitives.ReadInt32BigEndian(_header);
        if (length is <= 0 or > WorkerProtocol.MaxFrameBytes)
        {
            throw new InvalidDataException($"a frame of {length} bytes (the limit is {WorkerProtocol.MaxFrameBytes})");
        }
        var body = new byte[length];
        if (!await FillAsync(body, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }
        return WireCodec.Read(body);
    }

    private async Task<bool> FillAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int n;
            try
            {
                n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false);
            }
            catch (IOException)
            {
                return false; // the connection was reset: the other side is gone
            }
            if (n == 0)
            {
                return false;
            }
            read += n;
        }
        return true;
    }

    public void Dispose()
    {
        stream.Dispose();
        _writeLock.Dispose();
    }
}
