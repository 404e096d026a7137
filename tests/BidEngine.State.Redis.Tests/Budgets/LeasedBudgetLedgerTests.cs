using BidEngine.Core.Budgets;
using BidEngine.Core.Notices;
using BidEngine.Core.State;
using BidEngine.State.Redis.Tests.Fixtures;

namespace BidEngine.State.Redis.Tests.Budgets;

public sealed class LeasedBudgetLedgerTests(RedisServer store) : IClassFixture<RedisServer>
{
    private const long Price = 1_000_000;
    private static readonly BudgetLimits Budget300 = new(300 * Price, null, TimeZoneInfo.Utc);

    [Fact]
    public async Task TwoNodesSettlingAtRandomNodesSpendTheBudgetWithinTheStatedBounds()
    {
        await using var fleet = new Fleet(store);
        var nodes = new[] { await fleet.StartNodeAsync(("c", Budget300)), await fleet.StartNodeAsync(("c", Budget300)) };
        var ids = nodes.Select(n => new BidIds(n.Epoch)).ToArray();
        long billed = 0;
        long lastWin = DateTime.UtcNow.Ticks;
        var deadline = DateTime.UtcNow.AddSeconds(40);

        async Task Worker(int node, int seed)
        {
            var random = new Random(seed);
            while (DateTime.UtcNow < deadline && DateTime.UtcNow.Ticks - Interlocked.Read(ref lastWin) < TimeSpan.TicksPerSecond * 2)
            {
                var amount = (Price / 2) + random.NextInt64(Price / 2 + 1);
                var id = ids[node].Next();
                if (nodes[node].Ledger.Reserve("c", id, amount) != ReserveOutcome.Reserved)
                {
                    await Task.Delay(1);
                    continue;
                }

                Interlocked.Exchange(ref lastWin, DateTime.UtcNow.Ticks);
                var clearing = amount - random.NextInt64(amount / 4);
                var settler = nodes[random.Next(nodes.Length)];
                SettleOutcome outcome;
                while ((outcome = settler.Ledger.Settle("c", id, clearing)) == SettleOutcome.Unavailable)
                {
                    await Task.Delay(5);
                }

                Assert.Equal(SettleOutcome.Settled, outcome);
                Interlocked.Add(ref billed, clearing);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Task.Run(() => Worker(i % 2, i))));

        var spent = fleet.StoreSpent("c");
        var late = nodes.Sum(n => n.LeasedLedger.LateSpentNanosTotal);
        Assert.Equal(billed, spent);
        Assert.Equal(0, late);
        Assert.True(spent <= Budget300.TotalNanos + late, $"spent {spent} over the budget");
        // Stranded: under one bid per node plus the pool's rest under one bid.
        Assert.True(spent >= Budget300.TotalNanos - (3 * Price), $"spent {spent}: more than 3 bids stranded");
    }

    [Fact]
    public async Task ABillReplayedAtTheOtherNodeCountsOnce()
    {
        await using var fleet = new Fleet(store);
        var a = await fleet.StartNodeAsync(("c", Budget300));
        var b = await fleet.StartNodeAsync(("c", Budget300));
        var id = await ReserveEventuallyAsync(a, new BidIds(a.Epoch), Price);
        var expires = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 600;
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var mark = a.Replays.TryMark(id, NoticeMarks.Billed, NoticeMarks.None, NoticeMarks.Loss, expires, now, out _);
        Assert.True(mark == ReplayMark.Added, $"{mark}: {a.Metrics.LastError}");
        Assert.Equal(SettleOutcome.Settled, a.Ledger.Settle("c", id, Price / 2));
        Assert.Equal(ReplayMark.Replayed, b.Replays.TryMark(id, NoticeMarks.Billed, NoticeMarks.None, NoticeMarks.Loss, expires, now, out var before));
        Assert.Equal(NoticeMarks.Billed, before);
        // Even past the window, the ledger's own marker counts the bill once, at either node.
        Assert.Equal(SettleOutcome.AlreadySettled, b.Ledger.Settle("c", id, Price / 2));
        Assert.Equal(SettleOutcome.AlreadySettled, a.Ledger.Settle("c", id, Price / 2));
        Assert.Equal(Price / 2, fleet.StoreSpent("c"));
    }

    [Fact]
    public async Task ABillAtAnotherNodeFreesTheReservationAtItsOwnerThroughTheInbox()
    {
        await using var fleet = new Fleet(store);
        var a = await fleet.StartNodeAsync(("c", Budget300));
        var b = await fleet.StartNodeAsync(("c", Budget300));
        var id = await ReserveEventuallyAsync(a, new BidIds(a.Epoch), Price);

        Assert.Equal(SettleOutcome.Settled, b.Ledger.Settle("c", id, Price / 4));

        Assert.True(await Fleet.EventuallyAsync(() => a.Ledger.TryRead("c", out var balance) && balance.Outstanding == 0, TimeSpan.FromSeconds(3)));
        Assert.Equal(SettleOutcome.AlreadySettled, a.Ledger.Settle("c", id, Price / 4));
        Assert.Equal(Price / 4, fleet.StoreSpent("c"));
    }

    [Fact]
    public async Task ALossAtAnotherNodeReleasesTheReservationAtItsOwner()
    {
        await using var fleet = new Fleet(store);
        var a = await fleet.StartNodeAsync(("c", Budget300));
        var b = await fleet.StartNodeAsync(("c", Budget300));
        var id = await ReserveEventuallyAsync(a, new BidIds(a.Epoch), Price);

        Assert.Equal(ReleaseOutcome.Released, b.Ledger.Release("c", id));

        Assert.True(await Fleet.EventuallyAsync(() => a.Ledger.TryRead("c", out var balance) && balance.Outstanding == 0, TimeSpan.FromSeconds(3)));
        Assert.Equal(SettleOutcome.AlreadyReleased, a.Ledger.Settle("c", id, Price));
        Assert.Equal(0, fleet.StoreSpent("c"));
    }

    [Fact]
    public async Task AKilledNodesLeaseReturnsToTheOthersAfterTheNodeLeaseTtl()
    {
        await using var fleet = new Fleet(store, o => new RedisStateOptions
        {
            Configuration = o.Configuration,
            KeyPrefix = o.KeyPrefix,
            LoopInterval = o.LoopInterval,
            OperationTimeout = o.OperationTimeout,
            NodeLeaseTtl = TimeSpan.FromSeconds(2),
        });
        var budget = new BudgetLimits(10 * Price, null, TimeZoneInfo.Utc);
        var a = await fleet.StartNodeAsync(("c", budget));
        var idsA = new BidIds(a.Epoch);
        var heldByA = 0;
        var until = DateTime.UtcNow.AddSeconds(5);
        while (heldByA < 10 && DateTime.UtcNow < until)
        {
            heldByA += a.Ledger.Reserve("c", idsA.Next(), Price) == ReserveOutcome.Reserved ? 1 : 0;
            await Task.Delay(2);
        }

        Assert.Equal(10, heldByA);
        await fleet.KillAsync(a);
        var killedAt = DateTime.UtcNow;

        var b = await fleet.StartNodeAsync(("c", budget));
        var idsB = new BidIds(b.Epoch);
        var refusedEarly = 0;
        var heldByB = 0;
        while (heldByB < 10 && DateTime.UtcNow < killedAt.AddSeconds(10))
        {
            if (b.Ledger.Reserve("c", idsB.Next(), Price) == ReserveOutcome.Reserved)
            {
                heldByB++;
            }
            else if (DateTime.UtcNow < killedAt.AddSeconds(1.5))
            {
                refusedEarly++;
            }

            await Task.Delay(5);
        }

        Assert.True(refusedEarly > 0, "the killed node's lease was free before its TTL");
        var p = fleet.Options.KeyPrefix;
        Assert.True(heldByB == 10, $"{heldByB}: b {string.Join(",", fleet.Db.HashGetAll(p + "b:c"))} l {string.Join(",", fleet.Db.HashGetAll(p + "l:c"))} lx {string.Join(",", fleet.Db.SortedSetRangeByScoreWithScores(p + "lx:c"))} {b.Metrics.LastError} {b.Metrics.BackgroundRoundTrips}");
        Assert.True(DateTime.UtcNow - killedAt >= TimeSpan.FromSeconds(1.9));
    }

    [Fact]
    public async Task StopGivesTheFreeSliceBackAndKeepsWhatReservationsHold()
    {
        await using var fleet = new Fleet(store);
        var a = await fleet.StartNodeAsync(("c", Budget300));
        await ReserveEventuallyAsync(a, new BidIds(a.Epoch), Price);
        Assert.True(await Fleet.EventuallyAsync(() => fleet.StoreLeased("c") > Price, TimeSpan.FromSeconds(3)));

        await a.StopAsync(CancellationToken.None);

        Assert.Equal(Price, fleet.StoreLeased("c"));
    }

    [Fact]
    public async Task EveryNodeTakesADistinctEpoch()
    {
        await using var fleet = new Fleet(store);
        var epochs = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            epochs.Add((await fleet.StartNodeAsync()).Epoch);
        }

        Assert.Equal(5, epochs.Distinct().Count());
        Assert.All(epochs, e => Assert.InRange(e, 1, BidIds.MaxEpoch));
    }

    [Fact]
    public async Task ReserveAllocatesNothingOnceWarm()
    {
        await using var fleet = new Fleet(store, o => new RedisStateOptions
        {
            Configuration = o.Configuration,
            KeyPrefix = o.KeyPrefix,
            LoopInterval = o.LoopInterval,
            NodeLeaseTtl = o.NodeLeaseTtl,
            OperationTimeout = o.OperationTimeout,
            ReservationTtl = TimeSpan.FromMilliseconds(50),
            LateNoticeWindow = TimeSpan.Zero,
        });
        var node = await fleet.StartNodeAsync(("c", new BudgetLimits(1_000_000 * Price, null, TimeZoneInfo.Utc)));
        var ids = new BidIds(node.Epoch);
        var ledger = node.Ledger;

        // Warm: records and queues grow to 20,000, then are forgotten (capacity stays), and the slice follows the rate.
        var warmUntil = DateTime.UtcNow.AddSeconds(1.5);
        var made = 0;
        while (DateTime.UtcNow < warmUntil || made < 20_000)
        {
            var id = ids.Next();
            if (ledger.Reserve("c", id, Price) == ReserveOutcome.Reserved)
            {
                ledger.Release("c", id);
                made++;
            }
        }

        await Task.Delay(200);
        ledger.Expire();
        ledger.Expire();

        var before = GC.GetAllocatedBytesForCurrentThread();
        var reserved = 0;
        for (var i = 0; i < 10_000; i++)
        {
            reserved += ledger.Reserve("c", ids.Next(), 1) == ReserveOutcome.Reserved ? 1 : 0;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(reserved > 0);
        Assert.Equal(0, allocated);
    }

    private static async Task<long> ReserveEventuallyAsync(RedisState node, BidIds ids, long amount)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (DateTime.UtcNow < deadline)
        {
            var id = ids.Next();
            if (node.Ledger.Reserve("c", id, amount) == ReserveOutcome.Reserved)
            {
                return id;
            }

            await Task.Delay(10);
        }

        throw new TimeoutException("No lease came within 5 s.");
    }
}
