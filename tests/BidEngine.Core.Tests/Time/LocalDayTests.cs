using System.Diagnostics;
using BidEngine.Core.Time;

namespace BidEngine.Core.Tests.Time;

public sealed class LocalDayTests
{
    [Fact]
    public void FindsIanaTimeZonesWithInvariantGlobalizationOn()
    {
        // The build sets InvariantGlobalization; IANA ids still resolve from the host's tzdata.
        Assert.True(System.Globalization.CultureInfo.CurrentCulture.Name.Length == 0, "tests run with invariant culture");
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        Assert.Equal("America/New_York", zone.Id);
        Assert.Equal(TimeSpan.FromHours(-5), zone.GetUtcOffset(new DateTime(2026, 1, 15, 12, 0, 0, DateTimeKind.Utc)));
        Assert.Equal(TimeSpan.FromHours(-4), zone.GetUtcOffset(new DateTime(2026, 7, 15, 12, 0, 0, DateTimeKind.Utc)));
        Assert.Equal(TimeSpan.FromHours(5.5), TimeZoneInfo.FindSystemTimeZoneById("Asia/Kolkata").BaseUtcOffset);
    }

    [Fact]
    public void DayInNewYorkStartsAndEndsAtLocalMidnight()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var day = LocalDay.Containing(new DateTimeOffset(2026, 1, 15, 3, 0, 0, TimeSpan.Zero), zone);
        Assert.Equal(new DateTimeOffset(2026, 1, 14, 5, 0, 0, TimeSpan.Zero), day.StartUtc);
        Assert.Equal(new DateTimeOffset(2026, 1, 15, 5, 0, 0, TimeSpan.Zero), day.EndUtc);
        Assert.Equal(new DateOnly(2026, 1, 14).DayNumber, day.DayNumber);
    }

    [Fact]
    public void DaylightSavingDaysAreTwentyThreeAndTwentyFiveHoursLong()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        Assert.Equal(TimeSpan.FromHours(23), LocalDay.Containing(new DateTimeOffset(2026, 3, 8, 12, 0, 0, TimeSpan.Zero), zone).Length);
        Assert.Equal(TimeSpan.FromHours(25), LocalDay.Containing(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero), zone).Length);
        Assert.Equal(TimeSpan.FromHours(24), LocalDay.Containing(new DateTimeOffset(2026, 11, 2, 12, 0, 0, TimeSpan.Zero), TimeZoneInfo.Utc).Length);
    }

    [Fact]
    public void ManualClockMovesWallAndMonotonicTimeTogether()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        clock.Advance(TimeSpan.FromMinutes(90));
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 1, 30, 0, TimeSpan.Zero), clock.UtcNow);
        Assert.Equal(TimeSpan.FromMinutes(90).Ticks, clock.Timestamp);
        clock.SetWallClock(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal(TimeSpan.FromMinutes(90).Ticks, clock.Timestamp);
        Assert.Throws<ArgumentOutOfRangeException>(() => clock.Advance(TimeSpan.FromSeconds(-1)));
    }

    [Fact]
    public void SystemClockTimestampMovesForwardInTicks()
    {
        // Bracketed by the Stopwatch: the clock's interval lies between the inner and the outer one,
        // however slow the machine is. A unit slip (Stopwatch ticks, 1 ns here, or milliseconds for
        // 100 ns ticks) is off by a factor of 100 or more; the 2 ticks of slack are rounding.
        var outerStart = Stopwatch.GetTimestamp();
        var a = SystemClock.Instance.Timestamp;
        var innerStart = Stopwatch.GetTimestamp();
        Thread.Sleep(20);
        var innerEnd = Stopwatch.GetTimestamp();
        var b = SystemClock.Instance.Timestamp;
        var outerEnd = Stopwatch.GetTimestamp();

        var inner = Stopwatch.GetElapsedTime(innerStart, innerEnd).Ticks;
        var outer = Stopwatch.GetElapsedTime(outerStart, outerEnd).Ticks;
        Assert.InRange(inner, TimeSpan.FromMilliseconds(19).Ticks, long.MaxValue);
        Assert.InRange(b - a, inner - 2, outer + 2);
    }
}
