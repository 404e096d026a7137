namespace BidEngine.Core.Events;

/// <summary>
/// A bounded lock-free queue of slot numbers (Vyukov's bounded MPMC ring: one sequence number per
/// cell, one CAS per operation). Preallocated; enqueue and dequeue allocate nothing and never block.
/// The event log keeps two: free slots and filled ones.
/// </summary>
internal sealed class SlotQueue
{
    private readonly Cell[] _cells;
    private readonly int _mask;
    private PaddedLong _enqueue;
    private PaddedLong _dequeue;

    /// <param name="capacity">A power of two.</param>
    public SlotQueue(int capacity)
    {
        if (capacity < 2 || (capacity & (capacity - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "must be a power of two, at least 2");
        }

        _cells = new Cell[capacity];
        _mask = capacity - 1;
        for (var i = 0; i < capacity; i++)
        {
            _cells[i].Sequence = i;
        }
    }

    /// <summary>Items waiting; a snapshot, exact only when no one else is using the queue.</summary>
    public int Count => (int)Math.Max(0, Volatile.Read(ref _enqueue.Value) - Volatile.Read(ref _dequeue.Value));

    public bool TryEnqueue(int item)
    {
        while (true)
        {
            var position = Volatile.Read(ref _enqueue.Value);
            ref var cell = ref _cells[position & _mask];
            var sequence = Volatile.Read(ref cell.Sequence);
            var difference = sequence - position;
            if (difference == 0)
            {
                if (Interlocked.CompareExchange(ref _enqueue.Value, position + 1, position) == position)
                {
                    cell.Item = item;
                    Volatile.Write(ref cell.Sequence, position + 1);
                    return true;
                }
            }
            else if (difference < 0)
            {
                return false;
            }
        }
    }

    public bool TryDequeue(out int item)
    {
        while (true)
        {
            var position = Volatile.Read(ref _dequeue.Value);
            ref var cell = ref _cells[position & _mask];
            var sequence = Volatile.Read(ref cell.Sequence);
            var difference = sequence - (position + 1);
            if (difference == 0)
            {
                if (Interlocked.CompareExchange(ref _dequeue.Value, position + 1, position) == position)
                {
                    item = cell.Item;
                    Volatile.Write(ref cell.Sequence, position + _mask + 1);
                    return true;
                }
            }
            else if (difference < 0)
            {
                item = -1;
                return false;
            }
        }
    }

    private struct Cell
    {
        public long Sequence;
        public int Item;
    }

    // The two counters on their own cache lines: producers and the consumer do not slow each other.
    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Explicit, Size = 128)]
    private struct PaddedLong
    {
        [System.Runtime.InteropServices.FieldOffset(64)]
        public long Value;
    }
}
