using System.Diagnostics;

namespace BidEngine.Core.Deadlines;

/// <summary>
/// The gate before parsing: reads the thread pool's queueing delay, counts requests in flight,
/// and asks <see cref="DeadlinePolicy.ShouldShed"/> whether a new request still has a chance of
/// an answer in time. A refused request gets a cheap no-bid at once instead of joining a queue it
/// would leave too late. It decides nothing itself.
/// </summary>
public sealed class AdmissionControl
{
    private readonly QueueDelayProbe _probe;
    private readonly DeadlinePolicy _policy;
    private int _inFlight;

    public AdmissionControl(QueueDelayProbe probe, DeadlinePolicy policy)
    {
        _probe = probe;
        _policy = policy;
    }

    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>The pool's current queueing delay, in Stopwatch ticks.</summary>
    public long QueueDelayTicks => _probe.DelayTicks;

    /// <summary>
    /// Admits a request (true: call <see cref="Leave"/> when it is answered) or refuses it (false).
    /// Either way <paramref name="arrival"/> is when it came in, by the policy's reckoning.
    /// </summary>
    public bool TryEnter(out long arrival)
    {
        arrival = _policy.Arrival(Stopwatch.GetTimestamp(), _probe.DelayTicks);
        if (_policy.ShouldShed(arrival, Interlocked.Increment(ref _inFlight)))
        {
            Interlocked.Decrement(ref _inFlight);
            return false;
        }

        return true;
    }

    public void Leave() => Interlocked.Decrement(ref _inFlight);
}
