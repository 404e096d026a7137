using BidEngine.Core.Heuristics;
using BidEngine.State.Redis.Tests.Fixtures;

namespace BidEngine.State.Redis.Tests.Heuristics;

public sealed class OutcomeCountPoolTests(RedisServer store) : IClassFixture<RedisServer>
{
    [Fact]
    public async Task EveryNodeReadsTheFleetsCountsAndASyncNeverCountsAPairTwice()
    {
        await using var fleet = new Fleet(store);
        var a = await fleet.StartNodeAsync();
        var b = await fleet.StartNodeAsync();
        var seenByA = new OutcomeCounts();
        var seenByB = new OutcomeCounts();
        var poolA = a.PoolOutcomes(seenByA);
        var poolB = b.PoolOutcomes(seenByB);

        for (var i = 0; i < 3; i++)
        {
            seenByA.AddImpression("c1", 5);
        }

        seenByB.AddImpression("c1", 5);
        seenByB.AddImpression("c1", 5);
        seenByB.AddClick("c1", 5);
        seenByB.AddImpression("c2", -9);

        Assert.True(await poolA.SyncAsync());
        Assert.True(await poolB.SyncAsync());
        Assert.True(await poolA.SyncAsync()); // nothing new at A: its earlier counts are not added again

        foreach (var pooled in new[] { poolA.Pooled, poolB.Pooled })
        {
            Assert.Equal((5L, 1L), (pooled.Get("c1", 5).Impressions, pooled.Get("c1", 5).Clicks));
            Assert.Equal(1, pooled.Get("c2", -9).Impressions);
        }

        Assert.Equal(3, seenByA.Get("c1", 5).Impressions); // a node's own counts stay its own
    }
}
