using BidEngine.Core.Operations;

namespace BidEngine.Core.Tests.Operations;

public sealed class StatusHistoryTests
{
    [Fact]
    public void KeepsTheNewestSamplesOldestFirstOnceTheRingIsFull()
    {
        var history = new StatusHistory(capacity: 3);
        for (var second = 1; second <= 5; second++)
        {
            history.Add(Sample(second));
        }

        var kept = new List<StatusSample>();
        history.CopyAfter(0, kept);

        Assert.Equal(3, history.Count);
        Assert.Equal([3L, 4L, 5L], kept.Select(s => s.UnixSeconds));
        Assert.Equal([5.0, 4.0, 3.0], kept.Select(s => s.RequestsPerSecond).Reverse());
    }

    [Fact]
    public void CopyAfterLeavesOutTheSamplesUpToThatSecond()
    {
        var history = new StatusHistory(capacity: 10);
        for (var second = 100; second < 104; second++)
        {
            history.Add(Sample(second));
        }

        var newer = new List<StatusSample>();
        history.CopyAfter(102, newer);
        var none = new List<StatusSample>();
        history.CopyAfter(103, none);

        Assert.Equal([103L], newer.Select(s => s.UnixSeconds));
        Assert.Empty(none);
    }

    private static StatusSample Sample(long second) =>
        new(second, second, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}
