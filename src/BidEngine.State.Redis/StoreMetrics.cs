namespace BidEngine.State.Redis;

/// <summary>
/// Counters of the node's traffic with the store, for a metrics exporter to read. Round trips are
/// counted by path, so that round trips per bid (background ones over reservations) and per notice
/// (notice ones over notices) can be computed. Every counter is a 64-bit Interlocked add.
/// </summary>
public sealed class StoreMetrics
{
    private long _noticeRoundTrips;
    private long _backgroundRoundTrips;
    private long _errors;
    private long _timeouts;
    private long _latencyTicks;
    private long _latencyCount;
    private long _maxLatencyTicks;
    private int _up;

    /// <summary>Whether the last operation reached the store (or the connection says it is back).</summary>
    public bool StoreUp => Volatile.Read(ref _up) == 1;

    /// <summary>Store operations made by notices (settle, release at another node, replay marks).</summary>
    public long NoticeRoundTrips => Interlocked.Read(ref _noticeRoundTrips);

    /// <summary>Store operations made by the background loop (leases, inbox, heartbeat).</summary>
    public long BackgroundRoundTrips => Interlocked.Read(ref _backgroundRoundTrips);

    /// <summary>Every store operation.</summary>
    public long Operations => NoticeRoundTrips + BackgroundRoundTrips;

    /// <summary>Operations that failed (store out of reach, timeout or a script error).</summary>
    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>Of <see cref="Errors"/>, those that ran out of the operation timeout.</summary>
    public long Timeouts => Interlocked.Read(ref _timeouts);

    /// <summary>Mean latency of the operations that succeeded.</summary>
    public TimeSpan MeanLatency
    {
        get
        {
            var count = Interlocked.Read(ref _latencyCount);
            return count == 0 ? TimeSpan.Zero : TimeSpan.FromTicks(Interlocked.Read(ref _latencyTicks) / count);
        }
    }

    /// <summary>Slowest successful operation since start.</summary>
    public TimeSpan MaxLatency => TimeSpan.FromTicks(Interlocked.Read(ref _maxLatencyTicks));

    internal void Succeeded(bool notice, TimeSpan latency)
    {
        Interlocked.Increment(ref notice ? ref _noticeRoundTrips : ref _backgroundRoundTrips);
        Interlocked.Add(ref _latencyTicks, latency.Ticks);
        Interlocked.Increment(ref _latencyCount);
        var max = Interlocked.Read(ref _maxLatencyTicks);
        while (latency.Ticks > max && Interlocked.CompareExchange(ref _maxLatencyTicks, latency.Ticks, max) != max)
        {
            max = Interlocked.Read(ref _maxLatencyTicks);
        }

        Volatile.Write(ref _up, 1);
    }

    /// <summary>The last failure's message, for logs and for finding out why a store answers nothing.</summary>
    public string? LastError { get; private set; }

    internal void Failed(bool notice, bool timeout, string? error = null)
    {
        LastError = error ?? LastError;
        Interlocked.Increment(ref notice ? ref _noticeRoundTrips : ref _backgroundRoundTrips);
        Interlocked.Increment(ref _errors);
        if (timeout)
        {
            Interlocked.Increment(ref _timeouts);
        }

        Volatile.Write(ref _up, 0);
    }

    internal void SetUp(bool up) => Volatile.Write(ref _up, up ? 1 : 0);
}
