using BidEngine.LoadTests.Scheduling;
using Xunit;

namespace BidEngine.LoadTests.Tests;

public sealed class ArrivalScheduleTests
{
    [Fact]
    public void ConstantRateSpacesArrivalsEvenly()
    {
        var s = ArrivalSchedule.Build([Phase.Constant(1000, TimeSpan.FromSeconds(2))]);

        Assert.Equal(2000, s.Count);
        Assert.Equal(0, s.OffsetsTicks[0]);
        for (var i = 1; i < s.Count; i++)
        {
            Assert.Equal(TimeSpan.TicksPerMillisecond, s.OffsetsTicks[i] - s.OffsetsTicks[i - 1], tolerance: 1);
        }
    }

    [Fact]
    public void RampSendsTheAreaUnderTheRateLineWithGrowingDensity()
    {
        var s = ArrivalSchedule.Build([Phase.Ramp(100, 300, TimeSpan.FromSeconds(4))]);

        Assert.InRange(s.Count, 799, 800); // (100 + 300) / 2 * 4
        var firstHalf = s.OffsetsTicks.Count(t => t < TimeSpan.FromSeconds(2).Ticks);
        Assert.InRange(firstHalf, 299, 301); // ∫0..2 (100 + 50t) dt = 300
        var gaps = s.OffsetsTicks.Zip(s.OffsetsTicks.Skip(1), (a, b) => b - a).ToArray();
        Assert.True(gaps[0] > gaps[^1], "arrivals get closer as the rate rises");
        Assert.True(s.OffsetsTicks.SequenceEqual(s.OffsetsTicks.Order()), "offsets never go back");
    }

    [Fact]
    public void RampDownMirrorsRampUpInCount()
    {
        var up = ArrivalSchedule.Build([Phase.Ramp(0, 500, TimeSpan.FromSeconds(2))]);
        var down = ArrivalSchedule.Build([Phase.Ramp(500, 0, TimeSpan.FromSeconds(2))]);

        Assert.InRange(Math.Abs(up.Count - down.Count), 0, 1);
        Assert.InRange(up.Count, 499, 500);
    }

    [Fact]
    public void ArrivalTimeInvertsTheExpectedCount()
    {
        var phase = Phase.Ramp(200, 1000, TimeSpan.FromSeconds(3));
        foreach (var k in new long[] { 1, 10, 500, 1700 })
        {
            var t = ArrivalSchedule.ArrivalTime(phase, k);
            var expected = 200 * t + (1000 - 200) * t * t / (2 * 3.0);
            Assert.Equal(k, expected, precision: 6);
        }
    }

    [Fact]
    public void WarmupPhasesAreSentButNotRecorded()
    {
        var s = ArrivalSchedule.Build(
        [
            Phase.Ramp(0, 100, TimeSpan.FromSeconds(1), recorded: false),
            Phase.Constant(100, TimeSpan.FromSeconds(1), recorded: false),
            Phase.Constant(100, TimeSpan.FromSeconds(3)),
        ]);

        Assert.InRange(s.RecordFrom, 149, 150);
        Assert.Equal(s.Count, s.RecordTo);
        Assert.Equal(300, s.RecordTo - s.RecordFrom);
        Assert.Equal(TimeSpan.FromSeconds(5), s.Duration);
        Assert.Equal(TimeSpan.FromSeconds(3), s.RecordedDuration);
        Assert.False(s.IsRecorded(s.RecordFrom - 1));
        Assert.True(s.IsRecorded(s.RecordFrom));
        Assert.Equal(TimeSpan.FromSeconds(2).Ticks, s.OffsetsTicks[s.RecordFrom]);
    }

    [Fact]
    public void RefusesASchedulePastTheRequestCap()
    {
        Assert.Throws<ArgumentException>(() => ArrivalSchedule.Build([Phase.Constant(1000, TimeSpan.FromSeconds(10))], maxRequests: 5000));
    }

    [Fact]
    public void RefusesWarmupAfterRecordedPhases()
    {
        Assert.Throws<ArgumentException>(() => ArrivalSchedule.Build(
        [
            Phase.Constant(10, TimeSpan.FromSeconds(1)),
            Phase.Constant(10, TimeSpan.FromSeconds(1), recorded: false),
            Phase.Constant(10, TimeSpan.FromSeconds(1)),
        ]));
    }
}
