using BidEngine.Core.Time;

namespace BidEngine.Core.Operations;

/// <summary>
/// What an evenly paced campaign should have spent of its daily budget by now: the budget times the
/// share of its local day gone (a 23- or 25-hour day across a clock change counts as it is long).
/// The pacer aims at this line; the status page shows spend today against it.
/// </summary>
public static class PacingTarget
{
    public static long SpentByNowNanos(long dailyNanos, DateTimeOffset now, TimeZoneInfo zone)
    {
        var day = LocalDay.Containing(now, zone);
        var gone = (now - day.StartUtc).Ticks / (double)day.Length.Ticks;
        return (long)Math.Round(dailyNanos * Math.Clamp(gone, 0, 1), MidpointRounding.AwayFromZero);
    }
}
