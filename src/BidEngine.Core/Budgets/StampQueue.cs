namespace BidEngine.Core.Budgets;

/// <summary>
/// A FIFO of reservation stamps in chunks, so that it never copies what it holds to grow (a
/// <see cref="Queue{T}"/> of two million stamps doubles by copying 32 MB while the account's lock is
/// held: a pause every bid on that campaign waits out). Nothing is allocated until the first stamp
/// comes (an account that never reserves holds no chunk: with 100,000 campaigns two 64 KiB chunks an
/// account were 13 GB); chunks then double from <see cref="FirstChunkSize"/> up to <see cref="ChunkSize"/>,
/// so a campaign with a few bids outstanding holds a few hundred bytes. An emptied queue keeps its one
/// chunk, and emptied full-size chunks are kept for reuse, at most <see cref="SpareChunks"/> of them:
/// once a campaign's traffic has reached its level, reserving allocates nothing. Not thread-safe: the
/// account's lock guards it.
/// </summary>
internal sealed class StampQueue
{
    public const int ChunkSize = 4096;
    public const int FirstChunkSize = 16;
    private const int SpareChunks = 4;

    private Queue<ReservationStamp[]>? _full;
    private Stack<ReservationStamp[]>? _spare;
    private ReservationStamp[] _head;
    private ReservationStamp[] _tail;
    private int _headIndex;
    private int _tailCount;

    public StampQueue()
    {
        _head = _tail = [];
    }

    public int Count { get; private set; }

    public void Enqueue(ReservationStamp stamp)
    {
        if (_tailCount == _tail.Length)
        {
            if (_tail.Length == 0)
            {
                _head = _tail = new ReservationStamp[FirstChunkSize];
                _headIndex = 0;
            }
            else
            {
                var size = Math.Min(_tail.Length * 2, ChunkSize);
                var next = size == ChunkSize && _spare is { Count: > 0 } ? _spare.Pop() : new ReservationStamp[size];
                if (!ReferenceEquals(_tail, _head))
                {
                    (_full ??= new Queue<ReservationStamp[]>()).Enqueue(_tail);
                }

                _tail = next;
            }

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
        else if (_headIndex == _head.Length)
        {
            var done = _head;
            _head = _full is { Count: > 0 } ? _full.Dequeue() : _tail;
            _headIndex = 0;
            if (done.Length == ChunkSize && (_spare ??= new Stack<ReservationStamp[]>(SpareChunks)).Count < SpareChunks)
            {
                _spare.Push(done);
            }
        }

        return stamp;
    }

    /// <summary>Every stamp, oldest first, added to <paramref name="into"/> (for a snapshot; the caller holds the account's lock).</summary>
    public void CopyTo(List<ReservationStamp> into)
    {
        var headEnd = ReferenceEquals(_head, _tail) ? _tailCount : _head.Length;
        for (var i = _headIndex; i < headEnd; i++)
        {
            into.Add(_head[i]);
        }

        if (ReferenceEquals(_head, _tail))
        {
            return;
        }

        foreach (var chunk in _full ?? [])
        {
            into.AddRange(chunk);
        }

        for (var i = 0; i < _tailCount; i++)
        {
            into.Add(_tail[i]);
        }
    }
}
