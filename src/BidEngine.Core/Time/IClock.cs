namespace BidEngine.Core.Time;

/// <summary>
/// Where budgets, pacing and frequency windows read the time. Two readings because they answer
/// different questions: <see cref="UtcNow"/> says which day and hour it is in a campaign's time zone
/// (wall clock: can jump when the host's clock is set), <see cref="Timestamp"/> measures how long
/// something has been outstanding (monotonic: never goes back, so a clock change cannot expire or
/// revive a reservation). Injected, so tests run whole days in simulated time.
/// </summary>
public interface IClock
{
    /// <summary>The wall-clock instant, UTC.</summary>
    DateTimeOffset UtcNow { get; }

    /// <summary>Monotonic time in <see cref="TimeSpan"/> ticks (100 ns) from an arbitrary origin.</summary>
    long Timestamp { get; }
}
