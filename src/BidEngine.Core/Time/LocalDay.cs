namespace BidEngine.Core.Time;

/// <summary>
/// One calendar day in a time zone, as the UTC instants it starts and ends at. A day is 23, 24 or
/// 25 hours long across daylight-saving changes; budgets reset and pacing aims at its end.
/// </summary>
public readonly record struct LocalDay(int DayNumber, DateTimeOffset StartUtc, DateTimeOffset EndUtc)
{
    /// <summary>Length of the day (for example 23 h on the spring-forward date).</summary>
    public TimeSpan Length => EndUtc - StartUtc;

    /// <summary>The local day that <paramref name="utc"/> falls in.</summary>
    public static LocalDay Containing(DateTimeOffset utc, TimeZoneInfo zone)
    {
        var date = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(utc, zone).DateTime);
        return new LocalDay(date.DayNumber, MidnightUtc(date, zone), MidnightUtc(date.AddDays(1), zone));
    }

    /// <summary>
    /// The first instant of <paramref name="date"/> in the zone. Where midnight does not exist (a
    /// zone that springs forward at 00:00) the day starts at the first local minute that does; where
    /// it happens twice, at the earlier one.
    /// </summary>
    public static DateTimeOffset MidnightUtc(DateOnly date, TimeZoneInfo zone)
    {
        var local = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(1);
        }

        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local.Ticks - offset.Ticks, TimeSpan.Zero);
    }
}
