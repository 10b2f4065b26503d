using System.Net.Sockets;

namespace Plugboard.Isolation.Tests;

/// <summary>
/// The framing over a real Unix domain socket: frames on both sides of the channel's 64 KB read buffer arrive whole and
/// in order, many per read or one over many reads; a frame past the limit is an <see cref="InvalidDataException"/>;
/// the other side's close is the end of the stream; a cancelled read ends the channel instead of hanging.
/// </summary>
public sealed class MessageChannelTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"pb-channel-{Guid.NewGuid():N}.sock");
    private readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);

    public MessageChannelTests()
    {
        _listener.Bind(new UnixDomainSocketEndPoint(_path));
        _listener.Listen(1);
    }

    private (MessageChannel Sender, MessageChannel Receiver) Pair()
    {
        var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        client.Connect(new UnixDomainSocketEndPoint(_path));
        return (new MessageChannel(client), new MessageChannel(_listener.Accept()));
    }

    [Fact]
    public async Task Frames_smaller_and_larger_than_the_read_buffer_arrive_whole_and_in_order()
    {
        (MessageChannel sender, MessageChannel receiver) = Pair();
        using (sender)
        using (receiver)
        {
            // Sizes around the 64 KB buffer (a frame that fills it, one a byte past it) and far past it, between small ones.
            int[] sizes = [0, 1, 100, 65_400, 65_536, 65_537, 3, 200_000, 1, 2_000_000, 65_000, 65_000, 65_000, 7];
            Task send = Task.Run(() =>
            {
                for (int i = 0; i < sizes.Length; i++)
                {
                    sender.Send(new SnapshotChunk($"file-{i}", Bytes(sizes[i], i)));
                }
                sender.Dispose();
            });
            for (int i = 0; i < sizes.Length; i++)
            {
                var chunk = Assert.IsType<SnapshotChunk>(receiver.Receive());
                Assert.Equal($"file-{i}", chunk.RelativePath);
                Assert.Equal(Bytes(sizes[i], i), chunk.Data);
            }
            Assert.Null(receiver.Receive()); // the sender closed: the end of the stream
            await send;
        }
    }

    [Fact]
    public void A_frame_longer_than_the_limit_is_invalid_data()
    {
        var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        client.Connect(new UnixDomainSocketEndPoint(_path));
        using var receiver = new MessageChannel(_listener.Accept());
        using (client)
        {
            byte[] header = new byte[4];
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header, WorkerProtocol.MaxFrameBytes + 1);
            client.Send(header);
            InvalidDataException error = Assert.Throws<InvalidDataException>(() => receiver.Receive());
            Assert.Contains($"{WorkerProtocol.MaxFrameBytes + 1} bytes", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_cancelled_read_ends_the_channel_instead_of_waiting_for_a_frame_that_does_not_come()
    {
        (MessageChannel sender, MessageChannel receiver) = Pair();
        using (sender)
        using (receiver)
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            Task<WireMessage?> read = receiver.ReceiveAsync(cancel.Token);
            Assert.Same(read, await Task.WhenAny(read, Task.Delay(TimeSpan.FromSeconds(10))));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read);
            Assert.ThrowsAny<Exception>(() => receiver.Send(new CancelRequest(1))); // ended: nothing more goes out
        }
    }

    private static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)(i * 31 + seed);
        }
        return bytes;
    }

    public void Dispose()
    {
        _listener.Dispose();
        File.Delete(_path);
    }
}
