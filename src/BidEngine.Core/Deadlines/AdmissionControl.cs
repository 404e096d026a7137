using System.Diagnostics;

namespace BidEngine.Core.Deadlines;

/// <summary>
/// Sheds load before it queues: when work already waits longer in the thread pool than the
/// configured limit, when more requests are in flight than allowed, or for a share of requests
/// while the CPUs are saturated (<see cref="SaturationShedder"/>), a new request gets a cheap
/// no-bid at once instead of joining a queue it would leave too late.
/// </summary>
public sealed class AdmissionControl
{
    private readonly QueueDelayProbe _probe;
    private readonly SaturationShedder? _saturation;
    private readonly long _maxQueueDelayTicks;
    private readonly int _maxInFlight;
    private int _inFlight;

    public AdmissionControl(QueueDelayProbe probe, DeadlineOptions options, SaturationShedder? saturation = null)
    {
        _probe = probe;
        _saturation = saturation;
        _maxQueueDelayTicks = options.ShedQueueDelayMs * Stopwatch.Frequency / 1000;
        _maxInFlight = options.MaxInFlight;
    }

    /// <summary>The CPU-based shedder, when one is wired.</summary>
    public SaturationShedder? Saturation => _saturation;

    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>The pool's current queueing delay, in Stopwatch ticks.</summary>
    public long QueueDelayTicks => _probe.DelayTicks;

    /// <summary>Admits a request (true: call <see cref="Leave"/> when it is answered) or refuses it (false).</summary>
    public bool TryEnter()
    {
        if (_maxQueueDelayTicks > 0 && _probe.DelayTicks > _maxQueueDelayTicks)
        {
            return false;
        }

        if (_saturation is not null && _saturation.ShouldShed())
        {
            return false;
        }

        if (Interlocked.Increment(ref _inFlight) > _maxInFlight)
        {
            Interlocked.Decrement(ref _inFlight);
            return false;
        }

        return true;
    }

    public void Leave() => Interlocked.Decrement(ref _inFlight);

    /// <summary>For an admitted request: false when the CPUs are saturated enough that this one should skip the model.</summary>
    public bool ModelAllowed() => _saturation is null || !_saturation.ShouldSkipModel();
}
