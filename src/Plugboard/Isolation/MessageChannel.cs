using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Plugboard.Isolation;

/// <summary>
/// Frames <see cref="WireMessage"/>s over a connected socket: a 4-byte big-endian length, then that many bytes of
/// UTF-8 JSON. Writes are serialized by a lock (calls from many threads share one socket); reads belong to one reader
/// at a time.
/// </summary>
/// <remarks>
/// The socket is only ever used synchronously, from the connect or accept on: .NET switches a socket that saw one
/// asynchronous operation to non-blocking for good, and from then on a blocked reader is woken by the runtime's
/// event thread instead of by the kernel, a thread hop more on each side of every round trip (a ping-pong between two
/// threads took 14 to 28 µs instead of 8 to 10 µs in this session's measurement). So the two sides read on threads of
/// their own, and a cancelled <see cref="ReceiveAsync"/> ends the channel (nothing else unblocks a blocking read).
/// </remarks>
internal sealed class MessageChannel : IDisposable
{
    // Frames up to this size are read into the channel's buffer; larger ones (file chunks) into one rented for them.
    private const int BufferBytes = 64 * 1024;
    private const int KeptWriterBytes = 1024 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_writer;

    private readonly Socket _socket;
    private readonly Lock _writeLock = new();
    private readonly byte[] _buffer = new byte[BufferBytes];
    private int _start;
    private int _end;

    /// <param name="socket">Connected, and never used asynchronously (see the remarks).</param>
    public MessageChannel(Socket socket) => _socket = socket;

    /// <summary>Sends one message; blocks while the socket's buffer is full (the other side's reader empties it).</summary>
    /// <exception cref="SocketException">The connection is gone.</exception>
    /// <exception cref="ObjectDisposedException">The channel was disposed.</exception>
    public void Send(WireMessage message)
    {
        ArrayBufferWriter<byte> frame = t_writer ??= new ArrayBufferWriter<byte>(256);
        frame.ResetWrittenCount();
        try
        {
            // The header's 4 bytes first, filled in once the body's length is known: one buffer, one send.
            frame.GetSpan(4);
            frame.Advance(4);
            WireCodec.Write(message, frame);
            if (!MemoryMarshal.TryGetArray(frame.WrittenMemory, out ArraySegment<byte> bytes))
            {
                throw new InvalidOperationException("An ArrayBufferWriter is backed by an array.");
            }
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(0, 4), bytes.Count - 4);
            lock (_writeLock)
            {
                // A large frame may take more than one send.
                for (int sent = 0; sent < bytes.Count;)
                {
                    sent += _socket.Send(bytes.AsSpan(sent));
                }
            }
        }
        finally
        {
            if (frame.Capacity > KeptWriterBytes)
            {
                t_writer = null; // a file chunk's buffer is not kept per thread
            }
        }
    }

    /// <summary>The next message, read on the calling thread; null at the end of the stream (the other side closed or died).</summary>
    /// <exception cref="InvalidDataException">The frame is oversized or not a message.</exception>
    public WireMessage? Receive()
    {
        if (!Fill(4))
        {
            return null;
        }
        int length = BinaryPrimitives.ReadInt32BigEndian(_buffer.AsSpan(_start, 4));
        if (length is <= 0 or > WorkerProtocol.MaxFrameBytes)
        {
            throw new InvalidDataException($"a frame of {length} bytes (the limit is {WorkerProtocol.MaxFrameBytes})");
        }
        _start += 4;
        if (length <= BufferBytes)
        {
            if (!Fill(length))
            {
                return null;
            }
            // WireCodec.Read keeps nothing of the bytes it reads (it clones what it returns): the buffer is reused.
            WireMessage message = WireCodec.Read(_buffer.AsMemory(_start, length));
            _start += length;
            return message;
        }
        byte[] large = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            int have = _end - _start;
            _buffer.AsSpan(_start, have).CopyTo(large);
            _start = _end = 0;
            for (int read = have; read < length;)
            {
                int n = ReceiveSome(large.AsSpan(read, length - read));
                if (n == 0)
                {
                    return null;
                }
                read += n;
            }
            return WireCodec.Read(large.AsMemory(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(large);
        }
    }

    /// <summary>
    /// The next message, read on a thread of its own (for the handshake, which waits with a timeout). Cancellation
    /// ends the channel: a blocking read has no other way out.
    /// </summary>
    /// <exception cref="InvalidDataException">The frame is oversized or not a message.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the channel is disposed.</exception>
    public Task<WireMessage?> ReceiveAsync(CancellationToken cancellationToken) => ReadAsync(static channel => channel.Receive(), cancellationToken);

    /// <summary>
    /// Runs <paramref name="read"/>, a sequence of <see cref="Receive"/>s, on a thread of its own. Cancellation ends the
    /// channel: a blocking read has no other way out.
    /// </summary>
    /// <exception cref="OperationCanceledException">Cancelled; the channel is disposed.</exception>
    public async Task<T> ReadAsync<T>(Func<MessageChannel, T> read, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using CancellationTokenRegistration cancelled = cancellationToken.Register(static channel => ((MessageChannel)channel!).Dispose(), this);
        Task<T> reading = Task.Factory.StartNew(() => read(this), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        T result;
        try
        {
            result = await reading.ConfigureAwait(false);
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested && (IsGone(ex) || ex is InvalidDataException))
        {
            throw new OperationCanceledException(cancellationToken);
        }
        // Disposed by the cancellation mid-read, the read saw the end of the stream.
        cancellationToken.ThrowIfCancellationRequested();
        return result;
    }

    /// <summary>Whether <paramref name="exception"/>, from a send or a receive, says that the connection is gone (closed, reset, or this channel disposed).</summary>
    public static bool IsGone(Exception exception) => exception is SocketException or IOException or ObjectDisposedException;

    // At least `count` bytes from _start on in the buffer (count ≤ BufferBytes); false at the end of the stream.
    private bool Fill(int count)
    {
        if (_end - _start >= count)
        {
            return true;
        }
        if (_start + count > BufferBytes)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }
        while (_end - _start < count)
        {
            int n = ReceiveSome(_buffer.AsSpan(_end));
            if (n == 0)
            {
                return false;
            }
            _end += n;
        }
        return true;
    }

    private int ReceiveSome(Span<byte> into)
    {
        try
        {
            return _socket.Receive(into);
        }
        catch (SocketException)
        {
            return 0; // the connection was reset, or this side closed it: either way it is over
        }
    }

    public void Dispose() => _socket.Dispose();
}
