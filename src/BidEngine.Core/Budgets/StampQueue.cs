namespace BidEngine.Core.Budgets;

/// <summary>
/// A FIFO of reservation stamps in fixed chunks of <see cref="ChunkSize"/>, so that it never copies
/// what it holds to grow (a <see cref="Queue{T}"/> of two million stamps doubles by copying 32 MB while
/// the account's lock is held: a pause every bid on that campaign waits out). Emptied chunks are kept
/// for reuse, at most <see cref="SpareChunks"/> of them. Not thread-safe: the account's lock guards it.
/// </summary>
internal sealed class StampQueue
{
    public const int ChunkSize = 4096;
    private const int SpareChunks = 4;

    private readonly Queue<ReservationStamp[]> _full = new();
    private readonly Stack<ReservationStamp[]> _spare = new();
    private ReservationStamp[] _head;
    private ReservationStamp[] _tail;
    private int _headIndex;
    private int _tailCount;

    public StampQueue()
    {
        _head = _tail = new ReservationStamp[ChunkSize];
    }

    public int Count { get; private set; }

    public void Enqueue(ReservationStamp stamp)
    {
        if (_tailCount == ChunkSize)
        {
            var next = _spare.Count > 0 ? _spare.Pop() : new ReservationStamp[ChunkSize];
            if (!ReferenceEquals(_tail, _head))
            {
                _full.Enqueue(_tail);
            }

            _tail = next;
            _tailCount = 0;
        }

        _tail[_tailCount++] = stamp;
        Count++;
    }

    public bool TryPeek(out ReservationStamp stamp)
    {
        if (Count == 0)
        {
            stamp = default;
            return false;
        }

        stamp = _head[_headIndex];
        return true;
    }

    public ReservationStamp Dequeue()
    {
        if (Count == 0)
        {
            throw new InvalidOperationException("The queue is empty.");
        }

        var stamp = _head[_headIndex++];
        Count--;
        if (ReferenceEquals(_head, _tail))
        {
            if (_headIndex == _tailCount)
            {
                // Empty: start the one chunk over.
                _headIndex = 0;
                _tailCount = 0;
            }
        }
        else if (_headIndex == ChunkSize)
        {
            var done = _head;
            _head = _full.Count > 0 ? _full.Dequeue() : _tail;
            _headIndex = 0;
            if (_spare.Count < SpareChunks)
            {
                _spare.Push(done);
            }
        }

        return stamp;
    }

    /// <summary>Every stamp, oldest first, added to <paramref name="into"/> (for a snapshot; the caller holds the account's lock).</summary>
    public void CopyTo(List<ReservationStamp> into)
    {
        var headEnd = ReferenceEquals(_head, _tail) ? _tailCount : ChunkSize;
        for (var i = _headIndex; i < headEnd; i++)
        {
            into.Add(_head[i]);
        }

        if (ReferenceEquals(_head, _tail))
        {
            return;
        }

        foreach (var chunk in _full)
        {
            into.AddRange(chunk);
        }

        for (var i = 0; i < _tailCount; i++)
        {
            into.Add(_tail[i]);
        }
    }
}
