using BidEngine.Core.Notices;

namespace BidEngine.Core.Tests.Notices;

public sealed class ReplayWindowTests
{
    private const long Now = 1_000_000;

    [Fact]
    public void MarksEachKindOncePerBid()
    {
        var window = new ReplayWindow(1024);

        Assert.Equal(ReplayMark.Added, window.TryMark(7, NoticeMarks.Billed, NoticeMarks.None, NoticeMarks.Loss, Now + 60, Now, out var before));
        Assert.Equal(NoticeMarks.None, before);
        Assert.Equal(ReplayMark.Replayed, window.TryMark(7, NoticeMarks.Billed, NoticeMarks.None, NoticeMarks.Loss, Now + 60, Now, out _));
        Assert.Equal(ReplayMark.Added, window.TryMark(7, NoticeMarks.Win, NoticeMarks.None, NoticeMarks.Loss, Now + 60, Now, out before));
        Assert.Equal(NoticeMarks.Billed, before);
        Assert.Equal(ReplayMark.Conflicting, window.TryMark(7, NoticeMarks.Loss, NoticeMarks.None, NoticeMarks.Win | NoticeMarks.Billed, Now + 60, Now, out _));
        Assert.Equal(ReplayMark.MissingRequired, window.TryMark(8, NoticeMarks.Click, NoticeMarks.Billed, NoticeMarks.None, Now + 60, Now, out _));
        Assert.Equal(ReplayMark.Added, window.TryMark(7, NoticeMarks.Click, NoticeMarks.Billed, NoticeMarks.None, Now + 60, Now, out _));
    }

    [Fact]
    public void WhenFullItRefusesNewBidsAndCountsThemAndNeverForgetsALiveOne()
    {
        var window = new ReplayWindow(1024);
        var added = new List<long>();
        long refused = 0;
        for (long bid = 1; bid <= 2048; bid++)
        {
            var mark = window.TryMark(bid, NoticeMarks.Billed, NoticeMarks.None, NoticeMarks.None, Now + 60, Now, out _);
            if (mark == ReplayMark.Added)
            {
                added.Add(bid);
            }
            else
            {
                Assert.Equal(ReplayMark.Full, mark);
                refused++;
            }
        }

        // Open addressing with bounded probes fills to most of its capacity, never beyond it.
        Assert.InRange(added.Count, 800, 1024);
        Assert.Equal(refused, window.FullCount);

        // Every bid taken is still known: its replay is refused, full or not.
        Assert.All(added, bid => Assert.Equal(ReplayMark.Replayed, window.TryMark(bid, NoticeMarks.Billed, NoticeMarks.None, NoticeMarks.None, Now + 60, Now, out _)));
    }

    [Fact]
    public void ExpiredEntriesMakeRoomForNewBids()
    {
        var window = new ReplayWindow(1024);
        for (long bid = 1; bid <= 4096; bid++)
        {
            window.TryMark(bid, NoticeMarks.Billed, NoticeMarks.None, NoticeMarks.None, Now + 60, Now, out _);
        }

        var later = Now + 61;
        var added = 0;
        for (long bid = 10_001; bid <= 10_800; bid++)
        {
            added += window.TryMark(bid, NoticeMarks.Billed, NoticeMarks.None, NoticeMarks.None, later + 60, later, out _) == ReplayMark.Added ? 1 : 0;
        }

        Assert.Equal(800, added);
    }

    [Fact]
    public void OfManyThreadsMarkingTheSameBidExactlyOneIsFirst()
    {
        var window = new ReplayWindow(1 << 16);
        for (long bid = 1; bid <= 200; bid++)
        {
            var firsts = 0;
            Parallel.For(0, 8, sender =>
            {
                if (window.TryMark(bid, NoticeMarks.Billed, NoticeMarks.None, NoticeMarks.None, Now + 60, Now, out _) == ReplayMark.Added)
                {
                    Interlocked.Increment(ref firsts);
                }
            });
            Assert.Equal(1, firsts);
        }
    }
}
