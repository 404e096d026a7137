using System.Diagnostics;

namespace BidEngine.Core.Deadlines;

/// <summary>
/// The model's share of one request's deadline, made by <see cref="DeadlinePolicy.ModelLimit"/>
/// and handed to the scorer, its batcher and its watchdog, so that they enforce the policy's
/// decision with the policy's own numbers instead of recomputing them: a run must end by
/// <see cref="EndTimestamp"/> (the deadline less the write reserve), an estimate counts only
/// times <see cref="SafetyFactor"/>, and a caller waiting for an asynchronous call stops at
/// <see cref="WaitEndTimestamp"/>.
/// </summary>
public readonly struct ModelTimeLimit
{
    public ModelTimeLimit(long endTimestamp, long waitEndTimestamp, double safetyFactor)
    {
        EndTimestamp = endTimestamp;
        WaitEndTimestamp = Math.Min(waitEndTimestamp, endTimestamp);
        SafetyFactor = safetyFactor;
    }

    /// <summary>No limit: tools, tests and warm-up. Every estimate fits and no run is cut off.</summary>
    public static ModelTimeLimit None => new(long.MaxValue, long.MaxValue, 1);

    /// <summary>
    /// Stopwatch timestamp by which a model run must have ended: the request's deadline less the
    /// write reserve, so that pricing and writing still fit after it. The watchdog cuts a run off here.
    /// </summary>
    public long EndTimestamp { get; }

    /// <summary>
    /// When a caller stops waiting for a call that went asynchronous (a group-commit follower):
    /// <see cref="EndTimestamp"/> less the async slack, because timers wake late on a busy machine.
    /// </summary>
    public long WaitEndTimestamp { get; }

    /// <summary>The factor an observed cost is multiplied by before it is compared with the time left.</summary>
    public double SafetyFactor { get; }

    public bool IsUnbounded => EndTimestamp == long.MaxValue;

    /// <summary>True when work estimated at <paramref name="estimatedTicks"/>, started at <paramref name="now"/>, ends by <see cref="EndTimestamp"/> with the margin.</summary>
    public bool Fits(long now, long estimatedTicks) => IsUnbounded || now + Margin(estimatedTicks) <= EndTimestamp;

    /// <summary>True when an answer estimated <paramref name="estimatedTicks"/> away from <paramref name="now"/> arrives, with the margin, before the caller stops waiting.</summary>
    public bool FitsWait(long now, long estimatedTicks) => IsUnbounded || now + Margin(estimatedTicks) <= WaitEndTimestamp;

    /// <summary>How long from <paramref name="now"/> a caller may still wait; infinite when unbounded, zero once passed.</summary>
    public TimeSpan WaitLeft(long now)
    {
        if (IsUnbounded)
        {
            return Timeout.InfiniteTimeSpan;
        }

        var ticks = WaitEndTimestamp - now;
        return ticks <= 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(0, ticks);
    }

    /// <summary>The estimate with its margin, saturating instead of overflowing.</summary>
    private long Margin(long estimatedTicks)
    {
        var ticks = estimatedTicks * SafetyFactor;
        return ticks >= long.MaxValue / 2 ? long.MaxValue / 2 : (long)ticks;
    }
}
