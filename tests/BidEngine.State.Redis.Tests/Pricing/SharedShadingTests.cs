using BidEngine.Core.Tests;
using BidEngine.State.Redis.Tests.Fixtures;
using BidEngine.Tests.Shared;

namespace BidEngine.State.Redis.Tests.Pricing;

public sealed class SharedShadingTests(RedisServer store) : IClassFixture<RedisServer>
{
    [Fact]
    public async Task AWinOrLossToldToOneNodeIsLearnedByTheOtherOnce()
    {
        await using var fleet = new Fleet(store);
        var a = await fleet.StartNodeAsync();
        var b = await fleet.StartNodeAsync();
        var campaign = TestCampaigns.Campaign("c1", [TestCampaigns.Banner("b", 300, 250)]);
        var snapshot = TestCampaigns.Snapshot(campaign);
        var learnedByA = new RecordingShading();
        var learnedByB = new RecordingShading();
        var sharedA = await a.ShareShadingAsync(learnedByA, () => snapshot);
        var sharedB = await b.ShareShadingAsync(learnedByB, () => snapshot);

        sharedA.ObserveWin(campaign, 2.0, 3.0, 1.5);
        sharedA.ObserveLoss(campaign, 2.0, 3.0, 102, null);

        Assert.True(await Fleet.EventuallyAsync(() => learnedByB.Wins.Count == 1 && learnedByB.Losses.Count == 1, TimeSpan.FromSeconds(3)));
        Assert.Equal(("c1", 2.0, 3.0, (double?)1.5), learnedByB.Wins.Single());
        Assert.Equal(("c1", 2.0, 3.0, 102, (double?)null), learnedByB.Losses.Single());
        Assert.Single(learnedByA.Wins); // its own, not again from the channel
        Assert.Equal(2, sharedA.Published);
        Assert.Equal(0, sharedA.Received);
        Assert.Equal(2, sharedB.Received);
    }
}
