using BidEngine.Core.Notices;
using BidEngine.State.Redis.Notices;
using BidEngine.State.Redis.Tests.Fixtures;

namespace BidEngine.State.Redis.Tests.Notices;

/// <summary>Marks whose reply was lost: the store made them, the caller answered Unavailable and the exchange retries.</summary>
public sealed class SharedReplayWindowTests(RedisServer store) : IClassFixture<RedisServer>
{
    [Fact]
    public async Task ARetryAfterALostMarkReplyIsAddedAtTheSameNodeAndOnlyOnce()
    {
        await using var fleet = new Fleet(store);
        var other = await fleet.StartNodeAsync();
        var (window, replies, bid) = fleet.LossyReplayWindow();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        replies.LoseNextReply();
        Assert.Equal(ReplayMark.Unavailable, window.TryMark(bid, NoticeMarks.Billed, NoticeMarks.None, NoticeMarks.Loss, now + 600, now, out _));
        Assert.Equal((long)NoticeMarks.Billed, fleet.StoredMarks(bid));

        Assert.Equal(ReplayMark.Added, window.TryMark(bid, NoticeMarks.Billed, NoticeMarks.None, NoticeMarks.Loss, now + 600, now, out var before));
        Assert.Equal(NoticeMarks.None, before);
        Assert.Equal(1, window.ClaimedRetries);
        Assert.Equal(0, window.PendingTakeBacks);
        Assert.Equal(ReplayMark.Replayed, window.TryMark(bid, NoticeMarks.Billed, NoticeMarks.None, NoticeMarks.Loss, now + 600, now, out _));
        Assert.Equal(ReplayMark.Replayed, other.Replays.TryMark(bid, NoticeMarks.Billed, NoticeMarks.None, NoticeMarks.Loss, now + 600, now, out _));
        Assert.True(fleet.Db.KeyTimeToLive(fleet.Options.KeyPrefix + "r:" + bid) > TimeSpan.FromSeconds(500));
    }

    [Fact]
    public async Task ALostMarkNobodyRetriedHereIsTakenBackSoThatTheRetryAtAnotherNodeIsAdded()
    {
        await using var fleet = new Fleet(store);
        var other = await fleet.StartNodeAsync();
        var (window, replies, bid) = fleet.LossyReplayWindow();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Assert.Equal(ReplayMark.Added, window.TryMark(bid, NoticeMarks.Win, NoticeMarks.None, NoticeMarks.Loss, now + 600, now, out _));

        replies.LoseNextReply();
        Assert.Equal(ReplayMark.Unavailable, window.TryMark(bid, NoticeMarks.Billed, NoticeMarks.None, NoticeMarks.Loss, now + 600, now, out _));
        Assert.Equal(1, window.PendingTakeBacks);
        window.RetryPending();

        Assert.Equal(1, window.TakenBack);
        Assert.Equal(0, window.PendingTakeBacks);
        Assert.Equal((long)NoticeMarks.Win, fleet.StoredMarks(bid));
        Assert.Equal(ReplayMark.Added, other.Replays.TryMark(bid, NoticeMarks.Billed, NoticeMarks.None, NoticeMarks.Loss, now + 600, now, out var before));
        Assert.Equal(NoticeMarks.Win, before);
        Assert.True(fleet.Db.KeyTimeToLive(fleet.Options.KeyPrefix + "r:" + bid) > TimeSpan.FromSeconds(500));
    }

    [Fact]
    public async Task ATakeBackThatArrivesAfterTheRetryClaimedTheMarkLeavesItInPlace()
    {
        await using var fleet = new Fleet(store);
        var (window, replies, bid) = fleet.LossyReplayWindow();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        replies.LoseNextReply();
        Assert.Equal(ReplayMark.Unavailable, window.TryMark(bid, NoticeMarks.Billed, NoticeMarks.None, NoticeMarks.Loss, now + 600, now, out _));
        var lostToken = window.LastToken;
        Assert.Equal(ReplayMark.Added, window.TryMark(bid, NoticeMarks.Billed, NoticeMarks.None, NoticeMarks.Loss, now + 600, now, out _));

        // The take-back of the lost call, as the loop would send it had it read the table just before the claim.
        var taken = fleet.Db.ScriptEvaluate(ReplayScripts.TakeBack, [fleet.Options.KeyPrefix + "r:" + bid], [lostToken, (int)NoticeMarks.Billed]);

        Assert.Equal(0, (long)taken);
        Assert.Equal((long)NoticeMarks.Billed, fleet.StoredMarks(bid));
    }

}
