using System.Diagnostics;

namespace BidEngine.Core.Deadlines;

/// <summary>
/// The absolute time by which one request's answer must be written, as a <see cref="Stopwatch"/>
/// timestamp. What fits before it is for <see cref="DeadlinePolicy"/> to say, not for each stage.
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
}
