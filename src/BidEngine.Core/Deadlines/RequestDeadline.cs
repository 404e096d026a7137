using System.Diagnostics;

namespace BidEngine.Core.Deadlines;

/// <summary>
/// The absolute time by which one request's answer must be written, as a <see cref="Stopwatch"/>
/// timestamp. Every stage asks it how much is left.
/// </summary>
public readonly struct RequestDeadline
{
    public RequestDeadline(long arrivalTimestamp, long deadlineTimestamp)
    {
        ArrivalTimestamp = arrivalTimestamp;
        DeadlineTimestamp = deadlineTimestamp;
    }

    /// <summary>A deadline that never runs out; for tools and tests.</summary>
    public static RequestDeadline None => new(Stopwatch.GetTimestamp(), long.MaxValue);

    public long ArrivalTimestamp { get; }

    public long DeadlineTimestamp { get; }

    public bool IsUnbounded => DeadlineTimestamp == long.MaxValue;

    /// <summary>Stopwatch ticks left now; negative once passed.</summary>
    public long RemainingTicks(long now) => IsUnbounded ? long.MaxValue : DeadlineTimestamp - now;

    public TimeSpan Remaining => IsUnbounded ? TimeSpan.MaxValue : Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), DeadlineTimestamp);

    /// <summary>True when <paramref name="costTicks"/> of work started now would end before the deadline.</summary>
    public bool HasTimeFor(long costTicks) => IsUnbounded || Stopwatch.GetTimestamp() + costTicks <= DeadlineTimestamp;

    public bool HasPassed => !IsUnbounded && Stopwatch.GetTimestamp() >= DeadlineTimestamp;
}
