namespace BidEngine.Core.Time;

/// <summary>
/// A clock that moves only when told: wall clock and monotonic time advance together. For tests
/// and simulations (a simulated day runs in well under a second). Safe to read from many threads.
/// </summary>
public sealed class ManualClock : IClock
{
    private long _utcTicks;
    private long _timestamp;

    public ManualClock(DateTimeOffset start)
    {
        _utcTicks = start.UtcTicks;
    }

    public DateTimeOffset UtcNow => new(Volatile.Read(ref _utcTicks), TimeSpan.Zero);

    public long Timestamp => Volatile.Read(ref _timestamp);

    /// <summary>Moves both clocks forward. Time never goes back: a negative step is refused.</summary>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        Interlocked.Add(ref _utcTicks, by.Ticks);
        Interlocked.Add(ref _timestamp, by.Ticks);
    }

    /// <summary>Sets the wall clock alone, as an operator fixing the host's time would; monotonic time stays.</summary>
    public void SetWallClock(DateTimeOffset utc) => Volatile.Write(ref _utcTicks, utc.UtcTicks);
}
