using BidEngine.Core.Budgets;
using BidEngine.Core.Notices;
using BidEngine.Core.State;
using BidEngine.State.Redis.Tests.Fixtures;

namespace BidEngine.State.Redis.Tests.Notices;

/// <summary>The same scripts on Garnet (out of process, <c>--lua --lua-transaction-mode</c>).</summary>
public sealed class GarnetTests(GarnetServer store) : IClassFixture<GarnetServer>
{
    [Fact]
    public async Task TheReplayWindowMarksOnceConflictsAndUnmarksOnGarnet()
    {
        await using var fleet = new Fleet(store);
        var a = await fleet.StartNodeAsync();
        var b = await fleet.StartNodeAsync();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var bid = new BidIds(a.Epoch).Next();

        Assert.Equal(ReplayMark.MissingRequired, a.Replays.TryMark(bid, NoticeMarks.Click, NoticeMarks.Billed, NoticeMarks.None, now + 600, now, out _));
        Assert.Equal(ReplayMark.Added, a.Replays.TryMark(bid, NoticeMarks.Billed, NoticeMarks.None, NoticeMarks.Loss, now + 600, now, out _));
        Assert.Equal(ReplayMark.Replayed, b.Replays.TryMark(bid, NoticeMarks.Billed, NoticeMarks.None, NoticeMarks.Loss, now + 600, now, out var before));
        Assert.Equal(NoticeMarks.Billed, before);
        Assert.Equal(ReplayMark.Conflicting, b.Replays.TryMark(bid, NoticeMarks.Loss, NoticeMarks.None, NoticeMarks.Billed | NoticeMarks.Win, now + 600, now, out _));
        Assert.Equal(ReplayMark.Added, b.Replays.TryMark(bid, NoticeMarks.Click, NoticeMarks.Billed, NoticeMarks.None, now + 600, now, out before));
        Assert.Equal(NoticeMarks.Billed, before);

        a.Replays.Unmark(bid, NoticeMarks.Billed);

        Assert.Equal(ReplayMark.Added, b.Replays.TryMark(bid, NoticeMarks.Billed, NoticeMarks.None, NoticeMarks.Loss, now + 600, now, out before));
        Assert.Equal(NoticeMarks.Click, before);
        Assert.True(fleet.Db.KeyTimeToLive(fleet.Options.KeyPrefix + "r:" + bid) > TimeSpan.FromSeconds(500));
    }

    [Fact]
    public async Task ALostMarkReplyIsClaimedByItsRetryOrTakenBackOnGarnet()
    {
        await using var fleet = new Fleet(store);
        var other = await fleet.StartNodeAsync();
        var (window, replies, bid) = fleet.LossyReplayWindow();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        replies.LoseNextReply();
        Assert.Equal(ReplayMark.Unavailable, window.TryMark(bid, NoticeMarks.Win, NoticeMarks.None, NoticeMarks.Loss, now + 600, now, out _));
        Assert.Equal(ReplayMark.Added, window.TryMark(bid, NoticeMarks.Win, NoticeMarks.None, NoticeMarks.Loss, now + 600, now, out _));
        Assert.Equal(1, window.ClaimedRetries);

        replies.LoseNextReply();
        Assert.Equal(ReplayMark.Unavailable, window.TryMark(bid, NoticeMarks.Billed, NoticeMarks.None, NoticeMarks.Loss, now + 600, now, out _));
        window.RetryPending();
        Assert.Equal(1, window.TakenBack);
        Assert.Equal(ReplayMark.Added, other.Replays.TryMark(bid, NoticeMarks.Billed, NoticeMarks.None, NoticeMarks.Loss, now + 600, now, out var before));
        Assert.Equal(NoticeMarks.Win, before);
        Assert.True(fleet.Db.KeyTimeToLive(fleet.Options.KeyPrefix + "r:" + bid) > TimeSpan.FromSeconds(500));
    }

    // Was skipped (issue 18): the owner's retry of the bill was at the store (5-20 ms on Garnet) when its
    // inbox brought the other node's bill, which was dropped; LeaseAccountTests hold that order now.
    [Fact]
    public async Task ALeaseIsGrantedSpentAndSettledAcrossNodesOnGarnet()
    {
        await using var fleet = new Fleet(store);
        var limits = new BudgetLimits(100_000_000, 50_000_000, TimeZoneInfo.Utc);
        var a = await fleet.StartNodeAsync(("c", limits));
        var b = await fleet.StartNodeAsync(("c", limits));
        var ids = new BidIds(a.Epoch);
        long bid = 0;
        Assert.True(await Fleet.EventuallyAsync(() => a.Ledger.Reserve("c", bid = ids.Next(), 1_000_000) == ReserveOutcome.Reserved, TimeSpan.FromSeconds(5)), a.Metrics.LastError);

        Assert.Equal(SettleOutcome.Settled, b.Ledger.Settle("c", bid, 600_000));
        Assert.Equal(SettleOutcome.AlreadySettled, a.Ledger.Settle("c", bid, 600_000));

        Assert.Equal(600_000, fleet.StoreSpent("c"));
        Assert.True(await Fleet.EventuallyAsync(() => a.Ledger.TryRead("c", out var balance) && balance.Outstanding == 0, TimeSpan.FromSeconds(10)), a.Metrics.LastError);
        Assert.True(fleet.StoreLeased("c") is > 0 and <= 50_000_000 - 600_000);
    }
}
