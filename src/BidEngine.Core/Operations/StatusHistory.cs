namespace BidEngine.Core.Operations;

/// <summary>
/// The last <see cref="Capacity"/> samples, oldest first: a ring written once a second by the status
/// sampler and read by the status endpoint, under one lock (two parties, one a second: it never
/// waits). 600 samples of 128 B are 75 KiB, allocated once.
/// </summary>
public sealed class StatusHistory
{
    private readonly StatusSample[] _ring;
    private readonly Lock _lock = new();
    private int _next;
    private int _count;

    public StatusHistory(int capacity = 600)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _ring = new StatusSample[capacity];
    }

    public int Capacity => _ring.Length;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _count;
            }
        }
    }

    /// <summary>Adds the newest sample; the oldest goes once the ring is full.</summary>
    public void Add(in StatusSample sample)
    {
        lock (_lock)
        {
            _ring[_next] = sample;
            _next = (_next + 1) % _ring.Length;
            _count = Math.Min(_count + 1, _ring.Length);
        }
    }

    /// <summary>The samples after <paramref name="afterUnixSeconds"/> (all of them for 0), oldest first, into <paramref name="into"/>.</summary>
    public void CopyAfter(long afterUnixSeconds, List<StatusSample> into)
    {
        lock (_lock)
        {
            var first = (_next - _count + _ring.Length) % _ring.Length;
            for (var i = 0; i < _count; i++)
            {
                ref readonly var sample = ref _ring[(first + i) % _ring.Length];
                if (sample.UnixSeconds > afterUnixSeconds)
                {
                    into.Add(sample);
                }
            }
        }
    }
}
