namespace BidEngine.Core.Campaigns;

/// <summary>
/// The hours of the week a campaign bids in its time zone (campaign file: <c>dayparting</c>, for
/// example <c>{"mon": [9, 10, 11], "sat": []}</c>; a day not named has no hours). 168 bits. Equal
/// when they switch on the same hours, so that the campaigns of a file can share one.
/// </summary>
public sealed class Dayparting : IEquatable<Dayparting>
{
    private readonly ulong[] _hours = new ulong[3]; // bit (day × 24 + hour), day 0 = Monday

    public Dayparting(IEnumerable<(DayOfWeek Day, int Hour)> hours)
    {
        foreach (var (day, hour) in hours)
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)hour, 23u, nameof(hours));
            var bit = (Monday(day) * 24) + hour;
            _hours[bit >> 6] |= 1UL << (bit & 63);
        }
    }

    /// <summary>Hours switched on over the week.</summary>
    public int HoursOn => _hours.Sum(h => System.Numerics.BitOperations.PopCount(h));

    public bool IsOn(DayOfWeek day, int hour)
    {
        var bit = (Monday(day) * 24) + hour;
        return (_hours[bit >> 6] & (1UL << (bit & 63))) != 0;
    }

    /// <summary>Is the campaign on at <paramref name="utc"/>, read as local time in <paramref name="zone"/>?</summary>
    public bool IsOn(DateTimeOffset utc, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(utc, zone);
        return IsOn(local.DayOfWeek, local.Hour);
    }

    public bool Equals(Dayparting? other) => other is not null && _hours.AsSpan().SequenceEqual(other._hours);

    public override bool Equals(object? obj) => Equals(obj as Dayparting);

    public override int GetHashCode() => HashCode.Combine(_hours[0], _hours[1], _hours[2]);

    private static int Monday(DayOfWeek day) => ((int)day + 6) % 7;
}
