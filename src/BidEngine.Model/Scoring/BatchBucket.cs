using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.ML.OnnxRuntime;

namespace BidEngine.Model.Scoring;

/// <summary>
/// All slots of one batch size (a power of two) and the observed cost of running it.
/// A request of R rows rents from the smallest bucket with Rows ≥ R.
/// </summary>
internal sealed class BatchBucket : IDisposable
{
    /// <summary>Before any run is observed, assume 1 ms: pessimistic enough that an unwarmed model is not promised.</summary>
    private static readonly long UnobservedCostTicks = Stopwatch.Frequency / 1000;

    private readonly InferenceSession _session;
    private readonly RunWatchdog _watchdog;
    private readonly int _featureCount;
    private readonly int _maxPooled;
    private readonly Lock _lock = new();
    private readonly ScoringSlot[] _idle;
    private int _idleCount;
    private long _costTicks;
    private bool _observed;

    public BatchBucket(InferenceSession session, RunWatchdog watchdog, int rows, int featureCount, int preallocate, int maxPooled)
    {
        _session = session;
        _watchdog = watchdog;
        Rows = rows;
        _featureCount = featureCount;
        _maxPooled = maxPooled;
        _idle = new ScoringSlot[maxPooled];
        _costTicks = UnobservedCostTicks;
        for (var i = 0; i < preallocate; i++)
        {
            _idle[_idleCount++] = Create(pooled: true);
        }
    }

    public int Rows { get; }

    /// <summary>Exponentially weighted mean of observed run durations (α = 1/8), in Stopwatch ticks.</summary>
    public long CostTicks => Volatile.Read(ref _costTicks);

    public ScoringSlot Rent()
    {
        ScoringSlot? slot = null;
        lock (_lock)
        {
            if (_idleCount > 0)
            {
                slot = _idle[--_idleCount];
                _idle[_idleCount] = null!;
            }
        }

        slot ??= CreateOnDemand();
        slot.Rented = true;
        return slot;
    }

    public void Return(ScoringSlot slot)
    {
        slot.Rented = false;
        slot.SetCount(0);
        lock (_lock)
        {
            if (_idleCount < _maxPooled)
            {
                slot.Pooled = true;
                _idle[_idleCount++] = slot;
                return;
            }
        }

        _watchdog.Unregister(slot);
        slot.Dispose();
    }

    /// <summary>Folds one run's duration into the estimate. Racy by design: a lost update only delays the mean.</summary>
    public void Observe(long ticks)
    {
        var e = Volatile.Read(ref _costTicks);
        Volatile.Write(ref _costTicks, _observed ? e + ((ticks - e) >> 3) : ticks);
        _observed = true;
    }

    /// <summary>Replaces the estimate (warm-up: the mean of the warm runs).</summary>
    public void SeedCost(long ticks)
    {
        Volatile.Write(ref _costTicks, ticks);
        _observed = true;
    }

    public void Dispose()
    {
        lock (_lock)
        {
            for (var i = 0; i < _idleCount; i++)
            {
                _idle[i].Dispose();
                _idle[i] = null!;
            }

            _idleCount = 0;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private ScoringSlot CreateOnDemand() => Create(pooled: false);

    private ScoringSlot Create(bool pooled)
    {
        var slot = new ScoringSlot(_session, this, _featureCount) { Pooled = pooled };
        _watchdog.Register(slot);
        return slot;
    }
}
