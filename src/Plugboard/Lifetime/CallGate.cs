using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Plugboard.Lifetime;

/// <summary>
/// The one gate every call to a plugin version passes, whatever the plugin's kind: it counts calls in flight, closes
/// when the version retires (new calls go to the successor), and signals when the last call left, so a drain waits
/// on a signal instead of polling or spinning.
/// </summary>
/// <remarks>
/// Calls are many and retirements rare, so the call pays nothing shared: a call counts itself in and out with plain
/// writes to a cell of its own thread (<see cref="CallerSlot"/>; a call that leaves on another thread, as an
/// asynchronous one does, counts its exit in that thread's cell), and <see cref="Close"/> pays for the ordering with
/// one process-wide memory barrier. After that barrier every count a call made before it is visible to the closer,
/// and every call that counts itself in after it sees the gate closed and leaves: the two sides of a Dekker
/// handshake, with the expensive half on the rare side. The calls in flight are then the sum of the cells; while the
/// gate is closed, each leaving call sums them again (under the gate's lock, so that each sees the others' exits)
/// and the one that finds none left signals the drain.
/// </remarks>
internal sealed class CallGate
{
    private const int ChunkShift = 4;
    private const int ChunkSize = 1 << ChunkShift;

    private readonly Lock _lock = new();
    private volatile bool _closed;
    private TaskCompletionSource _drained = NewSignal();

    // Chunks of cells, indexed by the caller's slot; a chunk never moves once published (a bigger directory holds the
    // same chunks), so a count written while another thread grows the directory is never lost.
    private Cell[]?[] _chunks = [];

    /// <summary>Calls in flight now (a sum over every caller's cell: for reports and drains, not for the hot path).</summary>
    public int InFlight
    {
        get
        {
            lock (_lock)
            {
                return Count();
            }
        }
    }

    public bool IsClosed => _closed;

    /// <summary>
    /// Counts a call in; false when the gate is closed (the caller goes to the successor). <paramref name="seat"/> is
    /// where it was counted: a call that leaves on the same thread passes it to <see cref="Exit(in Seat)"/> and skips
    /// finding its thread's cell a second time.
    /// </summary>
    public bool TryEnter(out Seat seat)
    {
        seat = SeatOfThisThread();
        ref Cell cell = ref seat.Cell;
        Volatile.Write(ref cell.Enters, cell.Enters + 1);
        // Read after the write above; the barrier in Close orders the two for the closer's side.
        if (_closed)
        {
            Exit(seat);
            return false;
        }
        return true;
    }

    /// <summary>Counts a call out on any thread; while the gate is closed, the last one out signals the drain.</summary>
    public void Exit() => Exit(SeatOfThisThread());

    /// <summary>Counts out a call that entered on this very thread at <paramref name="seat"/> (never pass a seat to another thread: a cell has one writer).</summary>
    public void Exit(in Seat seat)
    {
        ref Cell cell = ref seat.Cell;
        Volatile.Write(ref cell.Exits, cell.Exits + 1);
        if (_closed)
        {
            SignalIfDrained();
        }
    }

    /// <summary>Stops new calls from entering.</summary>
    public void Close()
    {
        lock (_lock)
        {
            Volatile.Write(ref _drained, NewSignal());
            _closed = true;
        }
        // Every caller's thread passes a full fence: counts made before it are visible below, and calls counted in
        // after it read the gate as closed.
        Interlocked.MemoryBarrierProcessWide();
        SignalIfDrained();
    }

    /// <summary>Lets calls enter again: the retirement was abandoned and this version keeps serving.</summary>
    public void Reopen()
    {
        lock (_lock)
        {
            _closed = false;
        }
    }

    /// <summary>Waits until no call is in flight, up to <paramref name="timeout"/>. Close the gate first.</summary>
    /// <returns>True when drained, false when the timeout passed with calls still running.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled first.</exception>
    public async Task<bool> DrainAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (InFlight > 0)
        {
            Task drained = Volatile.Read(ref _drained).Task;
            if (InFlight == 0)
            {
                break;
            }
            TimeSpan remaining = timeout - clock.Elapsed;
            if (remaining <= TimeSpan.Zero)
            {
                return false;
            }
            try
            {
                await drained.WaitAsync(remaining, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return InFlight == 0;
            }
            // A signal of an earlier close (or a call that bounced off the closed gate) may complete early: check again.
        }
        return true;
    }

    private void SignalIfDrained()
    {
        lock (_lock)
        {
            if (_closed && Count() == 0)
            {
                _drained.TrySetResult();
            }
        }
    }

    /// <summary>Enters minus exits over every cell; call under the lock.</summary>
    private int Count()
    {
        long inFlight = 0;
        foreach (Cell[]? chunk in Volatile.Read(ref _chunks))
        {
            if (chunk is null)
            {
                continue;
            }
            for (int i = 0; i < chunk.Length; i++)
            {
                // Exits first: a cell's exit seen means the enter its thread wrote before it is seen too.
                long exits = Volatile.Read(ref chunk[i].Exits);
                inFlight += Volatile.Read(ref chunk[i].Enters) - exits;
            }
        }
        return (int)inFlight;
    }

    private Seat SeatOfThisThread()
    {
        int slot = CallerSlot.OfThisThread;
        Cell[]?[] chunks = Volatile.Read(ref _chunks);
        int chunk = slot >> ChunkShift;
        if ((uint)chunk < (uint)chunks.Length && chunks[chunk] is Cell[] cells)
        {
            return new Seat(cells, slot & (ChunkSize - 1));
        }
        return AddSeat(slot);
    }

    private Seat AddSeat(int slot)
    {
        int chunk = slot >> ChunkShift;
        lock (_lock)
        {
            Cell[]?[] chunks = _chunks;
            if (chunk >= chunks.Length)
            {
                var grown = new Cell[]?[Math.Max(chunk + 1, chunks.Length * 2)];
                chunks.CopyTo(grown, 0);
                chunks = grown;
            }
            Cell[] cells = chunks[chunk] ??= new Cell[ChunkSize];
            Volatile.Write(ref _chunks, chunks);
            return new Seat(cells, slot & (ChunkSize - 1));
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Where one thread counts its calls at one gate.</summary>
    internal readonly struct Seat
    {
        private readonly Cell[] _cells;
        private readonly int _index;

        internal Seat(Cell[] cells, int index)
        {
            _cells = cells;
            _index = index;
        }

        internal ref Cell Cell => ref _cells[_index];
    }

    /// <summary>One thread's counts: written only by that thread; a cache line of its own so that threads never share one.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 64)]
    internal struct Cell
    {
        [FieldOffset(0)]
        public long Enters;

        [FieldOffset(8)]
        public long Exits;
    }
}
