using BidEngine.LoadTests.Http;
using HdrHistogram;

namespace BidEngine.LoadTests.Running;

/// <summary>
/// What one run records, written by all workers at once: latencies in microseconds in HdrHistogram
/// (1 µs to 60 s at 3 significant digits: ±0.1%), counts by status and outcome, late answers
/// (after the request's own tmax) overall and per tmax value.
/// </summary>
public sealed class RunStats
{
    public const long HighestTrackableMicros = 60_000_000;

    public RunStats(IEnumerable<int?> tmaxValues)
    {
        foreach (var t in tmaxValues)
        {
            TmaxBuckets[t ?? -1] = new TmaxBucket(t);
        }
    }

    public LongConcurrentHistogram Latency { get; } = NewHistogram();

    /// <summary>How late the generator itself sent (actual − intended send time): its own timer and queueing slop.</summary>
    public LongConcurrentHistogram SendLag { get; } = NewHistogram();

    public Dictionary<int, TmaxBucket> TmaxBuckets { get; } = [];

    private readonly long[] _statusCounts = new long[600];
    private readonly long[] _pathCounts = new long[Enum.GetValues<PathTag>().Length];
    private readonly long[] _inTimePathCounts = new long[Enum.GetValues<PathTag>().Length];
    private long _late;
    private long _transportErrors;
    private long _timeouts;
    private long _sent;

    public long Late => Volatile.Read(ref _late);

    public long TransportErrors => Volatile.Read(ref _transportErrors);

    public long Timeouts => Volatile.Read(ref _timeouts);

    public long Sent => Volatile.Read(ref _sent);

    public static LongConcurrentHistogram NewHistogram() => new(1, HighestTrackableMicros, 3);

    public void RecordSent(long lagMicros)
    {
        Interlocked.Increment(ref _sent);
        SendLag.RecordValue(Clamp(lagMicros));
    }

    public void RecordResponse(ResponseInfo response, long latencyMicros, int? tmaxMs, long defaultTmaxMs)
    {
        var micros = Clamp(latencyMicros);
        Latency.RecordValue(micros);
        var status = response.Status is >= 0 and < 600 ? response.Status : 599;
        Interlocked.Increment(ref _statusCounts[status]);
        Interlocked.Increment(ref _pathCounts[(int)response.Path]);
        var late = micros > (tmaxMs ?? defaultTmaxMs) * 1000;
        if (late)
        {
            Interlocked.Increment(ref _late);
        }
        else
        {
            Interlocked.Increment(ref _inTimePathCounts[(int)response.Path]);
        }

        if (TmaxBuckets.TryGetValue(tmaxMs ?? -1, out var bucket))
        {
            bucket.Record(micros, late);
        }
    }

    /// <summary>No answer within the client timeout: recorded at the time waited, so a stall still shows in the percentiles.</summary>
    public void RecordTimeout(long waitedMicros, int? tmaxMs)
    {
        var micros = Clamp(waitedMicros);
        Latency.RecordValue(micros);
        Interlocked.Increment(ref _timeouts);
        if (TmaxBuckets.TryGetValue(tmaxMs ?? -1, out var bucket))
        {
            bucket.Record(micros, late: true);
        }
    }

    public void RecordTransportError() => Interlocked.Increment(ref _transportErrors);

    public long StatusCount(int status) => Volatile.Read(ref _statusCounts[status]);

    public SortedDictionary<int, long> StatusCounts()
    {
        var d = new SortedDictionary<int, long>();
        for (var i = 0; i < _statusCounts.Length; i++)
        {
            if (_statusCounts[i] != 0)
            {
                d[i] = _statusCounts[i];
            }
        }

        return d;
    }

    public SortedDictionary<string, long> PathCounts() => Named(_pathCounts);

    /// <summary>Answers by path that reached the client within their tmax.</summary>
    public SortedDictionary<string, long> InTimePathCounts() => Named(_inTimePathCounts);

    /// <summary>Answers decided by the model or the heuristic that reached the client within their tmax.</summary>
    public long InTimeDecided => Volatile.Read(ref _inTimePathCounts[(int)PathTag.Model]) + Volatile.Read(ref _inTimePathCounts[(int)PathTag.Heuristic]);

    private static SortedDictionary<string, long> Named(long[] counts)
    {
        var d = new SortedDictionary<string, long>(StringComparer.Ordinal);
        for (var i = 1; i < counts.Length; i++)
        {
            var n = Volatile.Read(ref counts[i]);
            if (n != 0)
            {
                d[PathTags.Name((PathTag)i)] = n;
            }
        }

        return d;
    }

    private static long Clamp(long micros) => Math.Clamp(micros, 1, HighestTrackableMicros);
}

/// <summary>Answers to requests of one tmax value (or none, key −1).</summary>
public sealed class TmaxBucket(int? tmaxMs)
{
    private long _count;
    private long _late;

    public int? TmaxMs { get; } = tmaxMs;

    public LongConcurrentHistogram Latency { get; } = RunStats.NewHistogram();

    public long Count => Volatile.Read(ref _count);

    public long Late => Volatile.Read(ref _late);

    public void Record(long micros, bool late)
    {
        Interlocked.Increment(ref _count);
        if (late)
        {
            Interlocked.Increment(ref _late);
        }

        Latency.RecordValue(micros);
    }
}
