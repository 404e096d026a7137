using System.Diagnostics;
using BidEngine.Core.Budgets;
using BidEngine.Core.Notices;
using BidEngine.Core.State;
using BidEngine.State.Redis.Tests.Fixtures;

namespace BidEngine.State.Redis.Tests.Budgets;

/// <summary>Pauses and restarts its own redis-server: a class of its own so that no other test shares that store.</summary>
public sealed class StoreOutageTests(RedisServer store) : IClassFixture<RedisServer>
{
    private const long Price = 1_000_000;
    private static readonly BudgetLimits Budget = new(1_000_000 * Price, null, TimeZoneInfo.Utc);

    [Fact]
    public async Task WhileTheStoreIsPausedBidsSpendOnlyTheLeaseNoticesAreUnavailableAndAllRecoversAfter()
    {
        // The top of the stated range: two shared cores and parallel test classes make 300 ms time out now and then.
        var timeout = TimeSpan.FromMilliseconds(500);
        await using var fleet = new Fleet(store, o => new RedisStateOptions
        {
            Configuration = o.Configuration,
            KeyPrefix = o.KeyPrefix,
            LoopInterval = o.LoopInterval,
            NodeLeaseTtl = TimeSpan.FromSeconds(4),
            OperationTimeout = timeout,
        });
        var node = await fleet.StartNodeAsync(("c", Budget));
        var ids = new BidIds(node.Epoch);
        var ledger = node.Ledger;
        await WarmAsync(node, ids);
        var billable = ids.Next();
        Assert.Equal(ReserveOutcome.Reserved, ledger.Reserve("c", billable, Price));
        Assert.True(node.LeasedLedger.TryReadLease("c", out var slice, out var reserved));
        var spentBefore = fleet.StoreSpent("c");

        store.Pause();
        long reservedInPause = 0;
        ReserveOutcome last;
        try
        {
            // The bid path does not wait on the network: these calls complete while the store answers nothing.
            var pauseEnds = DateTime.UtcNow.AddSeconds(3.5);
            do
            {
                last = ledger.Reserve("c", ids.Next(), Price);
                reservedInPause += last == ReserveOutcome.Reserved ? Price : 0;
            }
            while (DateTime.UtcNow < pauseEnds);

            var clock = Stopwatch.StartNew();
            var settle = ledger.Settle("c", billable, Price);
            var settleTook = clock.Elapsed;
            clock.Restart();
            var mark = node.Replays.TryMark(billable, NoticeMarks.Billed, NoticeMarks.None, NoticeMarks.Loss, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 600, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), out _);
            var markTook = clock.Elapsed;

            Assert.Equal(SettleOutcome.Unavailable, settle);
            Assert.Equal(ReplayMark.Unavailable, mark);
            Assert.True(settleTook < timeout + TimeSpan.FromMilliseconds(700), $"settle took {settleTook}");
            Assert.True(markTook < timeout + TimeSpan.FromMilliseconds(700), $"mark took {markTook}");
        }
        finally
        {
            store.Resume();
        }

        Assert.True(reservedInPause > 0, $"no bid went on from the lease: slice {slice}, reserved {reserved}, last {last}, {node.Metrics.LastError}");
        Assert.True(reservedInPause <= slice - reserved, $"{reservedInPause} reserved past the slice's free {slice - reserved}");
        Assert.Equal(ReserveOutcome.TotalExhausted, last);

        Assert.True(await Fleet.EventuallyAsync(() => ledger.Reserve("c", ids.Next(), Price) == ReserveOutcome.Reserved, TimeSpan.FromSeconds(10)), "bids did not come back");
        var retried = SettleOutcome.Unavailable;
        Assert.True(await Fleet.EventuallyAsync(() => (retried = ledger.Settle("c", billable, Price)) != SettleOutcome.Unavailable, TimeSpan.FromSeconds(10)), node.Metrics.LastError);
        Assert.Equal(SettleOutcome.Settled, retried);
        Assert.Equal(spentBefore + Price, fleet.StoreSpent("c"));
    }

    [Fact]
    public async Task AfterTheStoreIsStoppedAndStartedAgainNodesLeaseAndSettleAgain()
    {
        await using var fleet = new Fleet(store, o => new RedisStateOptions
        {
            Configuration = o.Configuration,
            KeyPrefix = o.KeyPrefix,
            LoopInterval = o.LoopInterval,
            NodeLeaseTtl = TimeSpan.FromSeconds(2),
            OperationTimeout = o.OperationTimeout,
        });
        var node = await fleet.StartNodeAsync(("c", Budget));
        var ids = new BidIds(node.Epoch);
        await WarmAsync(node, ids);
        var billable = ids.Next();
        Assert.Equal(ReserveOutcome.Reserved, node.Ledger.Reserve("c", billable, Price));

        store.Kill();
        try
        {
            var clock = Stopwatch.StartNew();
            Assert.Equal(SettleOutcome.Unavailable, node.Ledger.Settle("c", billable, Price));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"settle took {clock.Elapsed}");
            Assert.True(await Fleet.EventuallyAsync(() => node.Ledger.Reserve("c", ids.Next(), Price) != ReserveOutcome.Reserved, TimeSpan.FromSeconds(5)), "bids went on past the lease");
        }
        finally
        {
            await store.StartAsync();
        }

        // The restarted store kept nothing (no persistence here): leases start again from an empty account.
        Assert.True(await Fleet.EventuallyAsync(() => node.Ledger.Reserve("c", ids.Next(), Price) == ReserveOutcome.Reserved, TimeSpan.FromSeconds(30)), "bids did not come back");
        // Unavailable means "retry": the exchange would, so the test does too.
        var after = SettleOutcome.Unavailable;
        Assert.True(await Fleet.EventuallyAsync(() => (after = node.Ledger.Settle("c", billable, Price)) != SettleOutcome.Unavailable, TimeSpan.FromSeconds(10)), node.Metrics.LastError);
        Assert.Equal(SettleOutcome.Settled, after);
        Assert.True(node.Metrics.Errors > 0);
        Assert.True(node.Metrics.StoreUp);
    }

    /// <summary>Reserve and release for a second, and until the slice has room for 4 bids, so the slice follows a steady rate.</summary>
    private static async Task WarmAsync(RedisState node, BidIds ids)
    {
        var ledger = node.Ledger;
        var until = DateTime.UtcNow.AddSeconds(1);
        var giveUp = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < until || (DateTime.UtcNow < giveUp && !(node.LeasedLedger.TryReadLease("c", out var slice, out var reserved) && slice - reserved >= 5 * Price)))
        {
            var id = ids.Next();
            if (ledger.Reserve("c", id, Price) == ReserveOutcome.Reserved)
            {
                ledger.Release("c", id);
            }

            await Task.Delay(1);
        }
    }
}
