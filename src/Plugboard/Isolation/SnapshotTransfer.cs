using Plugboard.Trust;

namespace Plugboard.Isolation;

/// <summary>
/// Hands an out-of-process plugin's files to its worker over the handshake's connection: the bytes the host read
/// once, hashed against its lock file and inspected (<see cref="PluginSnapshot"/>), so that what the worker loads is
/// what the host checked, at the first start and at every restart, whatever the plugin folder holds by then.
/// Files travel in chunks well below the frame limit; the worker checks every file's length and SHA-256 against the
/// hello's list before it uses any.
/// </summary>
internal static class SnapshotTransfer
{
    /// <summary>Bytes per chunk: base64 in JSON makes a frame of about 11 MiB, far below <see cref="WorkerProtocol.MaxFrameBytes"/>.</summary>
    public const int ChunkBytes = 8 * 1024 * 1024;

    /// <summary>The hello's list of files: every file of the snapshot, in path order.</summary>
    public static IReadOnlyList<SnapshotFileHeader> Headers(PluginSnapshot snapshot) =>
        [.. snapshot.Files.Values.OrderBy(f => f.RelativePath, StringComparer.Ordinal).Select(f => new SnapshotFileHeader(f.RelativePath, f.Bytes.LongLength, f.Sha256))];

    /// <summary>Sends every file of the list, in its order, each as one chunk or more (an empty file as one empty chunk).</summary>
    public static void Send(MessageChannel channel, PluginSnapshot snapshot, IReadOnlyList<SnapshotFileHeader> files, CancellationToken cancellationToken)
    {
        foreach (SnapshotFileHeader header in files)
        {
            byte[] bytes = snapshot.Find(header.RelativePath)?.Bytes ?? [];
            int offset = 0;
            do
            {
                int length = Math.Min(ChunkBytes, bytes.Length - offset);
                cancellationToken.ThrowIfCancellationRequested();
                channel.Send(new SnapshotChunk(header.RelativePath, bytes[offset..(offset + length)]));
                offset += length;
            }
            while (offset < bytes.Length);
        }
    }

    /// <summary>Receives the files the hello lists and makes the worker's snapshot of them, named after the host's folder.</summary>
    /// <exception cref="InvalidDataException">A file is missing, out of order, longer than said, or not the bytes its SHA-256 names; or the list exceeds the snapshot's limits.</exception>
    public static PluginSnapshot Receive(MessageChannel channel, Hello hello)
    {
        if (hello.Files.Count > PluginSnapshot.MaxEntries || hello.Files.Sum(f => f.Length) > PluginSnapshot.MaxTotalSize
            || hello.Files.Any(f => f.Length is < 0 or > PluginSnapshot.MaxFileSize))
        {
            throw new InvalidDataException($"the hello lists {hello.Files.Count} files of {hello.Files.Sum(f => f.Length)} bytes, beyond what a plugin folder may hold");
        }
        var files = new List<(string, byte[])>(hello.Files.Count);
        foreach (SnapshotFileHeader header in hello.Files)
        {
            var bytes = new byte[header.Length];
            long received = 0;
            do
            {
                WireMessage? message = channel.Receive();
                if (message is not SnapshotChunk chunk || !string.Equals(chunk.RelativePath, header.RelativePath, StringComparison.Ordinal))
                {
                    throw new InvalidDataException($"'{header.RelativePath}' was expected, {Describe(message)} came");
                }
                if (chunk.Data.LongLength > header.Length - received)
                {
                    throw new InvalidDataException($"'{header.RelativePath}' is longer than the {header.Length} bytes the hello says");
                }
                chunk.Data.CopyTo(bytes, received);
                received += chunk.Data.LongLength;
                if (chunk.Data.Length == 0 && received < header.Length)
                {
                    throw new InvalidDataException($"'{header.RelativePath}' ended after {received} of its {header.Length} bytes");
                }
            }
            while (received < header.Length);
            files.Add((header.RelativePath, bytes));
        }
        // The snapshot hashes each file as it takes it: those are the hashes compared with the hello's.
        PluginSnapshot snapshot = PluginSnapshot.FromFiles(hello.PluginDirectory, files);
        foreach (SnapshotFileHeader header in hello.Files)
        {
            if (!string.Equals(snapshot.Find(header.RelativePath)?.Sha256, header.Sha256, StringComparison.Ordinal))
            {
                throw new InvalidDataException($"the bytes of '{header.RelativePath}' are not the ones the host read (SHA-256 differs)");
            }
        }
        return snapshot;
    }

    private static string Describe(WireMessage? message) => message switch
    {
        null => "the end of the connection",
        SnapshotChunk other => $"'{other.RelativePath}'",
        _ => $"a {message.GetType().Name}",
    };
}
