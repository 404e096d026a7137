using BidEngine.Core.Budgets;
using BidEngine.Core.State;
using BidEngine.State.Redis.Tests.Fixtures;
using StackExchange.Redis;

namespace BidEngine.State.Redis.Tests.Budgets;

[CollectionDefinition(nameof(PoolStarvation), DisableParallelization = true)]
public sealed class PoolStarvation;

/// <summary>Holds every pool thread (alone: other tests would starve too) and checks that the lease loop does not need one.</summary>
[Collection(nameof(PoolStarvation))]
public sealed class PoolStarvationTests(RedisServer store) : IClassFixture<RedisServer>
{
    [Fact]
    public async Task LeasesStayLiveAndNoticesAnswerWhileNoticesHoldEveryPoolThread()
    {
        await using var fleet = new Fleet(store);
        var limits = new BudgetLimits(1_000_000_000_000, null, TimeZoneInfo.Utc);
        var a = await fleet.StartNodeAsync(("c", limits));
        var b = await fleet.StartNodeAsync(("c", limits));
        var ids = new BidIds(a.Epoch);
        Assert.True(await Fleet.EventuallyAsync(() => a.Ledger.Reserve("c", ids.Next(), 1_000) == ReserveOutcome.Reserved, TimeSpan.FromSeconds(5)));
        Assert.True(ConnectionMultiplexer.GetFeatureFlag("DedicatedThreads"));

        // Far more blocked work items than the pool has threads (64, ThreadPoolWarmup) or adds in the
        // test's time: every thread the pool has or injects takes one and waits.
        using var release = new ManualResetEventSlim();
        for (var i = 0; i < 2_000; i++)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static r => ((ManualResetEventSlim)r!).Wait(), release);
        }

        var failures = new List<string>();
        try
        {
            // On this thread, synchronously (an await would wait for a pool thread): three usable lease
            // lives (2.1 s each with the fleet's 3 s TTL) of bids, and a notice at the other node.
            var until = DateTime.UtcNow.AddSeconds(7);
            while (DateTime.UtcNow < until)
            {
                var bid = ids.Next();
                var reserved = a.Ledger.Reserve("c", bid, 1_000);
                if (reserved != ReserveOutcome.Reserved)
                {
                    failures.Add($"{DateTime.UtcNow:ss.fff} reserve {reserved}");
                }
                else if (b.Ledger.Settle("c", bid, 500) is var settled && !SettleOutcomes.IsSpend(settled))
                {
                    failures.Add($"{DateTime.UtcNow:ss.fff} settle {settled}");
                }

                Thread.Sleep(100);
            }
        }
        finally
        {
            release.Set();
        }

        Assert.True(failures.Count == 0, string.Join("; ", failures) + " | " + a.Metrics.LastError);
        var lease = Assert.Single(a.LeasedLedger.Leases());
        Assert.Equal("c", lease.CampaignId);
        Assert.True(lease.Slice >= lease.Reserved && lease.Slice > 0, $"{lease}");
    }
}
