using BidEngine.Core.Budgets;
using BidEngine.Core.Operations;

namespace BidEngine.Core.Tests.Operations;

/// <summary>The line the status page draws spend today against: the daily budget times the share of the campaign's day gone.</summary>
public sealed class PacingTargetTests
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    [Fact]
    public void AtLocalNoonOfAnOrdinaryDayTheTargetIsHalfTheDailyBudget()
    {
        var noon = new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.FromHours(-4));

        Assert.Equal(Money.FromUnits(500), PacingTarget.SpentByNowNanos(Money.FromUnits(1000), noon, NewYork));
        Assert.Equal(0, PacingTarget.SpentByNowNanos(Money.FromUnits(1000), new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.FromHours(-4)), NewYork));
    }

    [Fact]
    public void OnTheDayClocksSpringForwardTheTargetFollowsTheDaysRealLength()
    {
        // 2026-03-08 in New York lasts 23 hours: at local noon (EDT) 11 of them are gone.
        var noon = new DateTimeOffset(2026, 3, 8, 12, 0, 0, TimeSpan.FromHours(-4));

        Assert.Equal(Money.FromUnits(1100), PacingTarget.SpentByNowNanos(Money.FromUnits(2300), noon, NewYork));
    }
}
