using BidEngine.Core.Campaigns;
using BidEngine.State.Redis.Tests.Fixtures;

namespace BidEngine.State.Redis.Tests.FrequencyCaps;

public sealed class SharedFrequencyCapsTests(RedisServer store) : IClassFixture<RedisServer>
{
    [Fact]
    public async Task AnImpressionCountedOnOneNodeCapsTheUserOnTheOther()
    {
        await using var fleet = new Fleet(store);
        var a = await fleet.StartNodeAsync();
        var b = await fleet.StartNodeAsync();
        var cap = new FrequencyCap(2, 3600);

        a.Caps.Count(7, 11, cap);
        a.Caps.Count(7, 11, cap);

        Assert.Equal(2, a.Caps.CountInWindow(7, 11, cap));
        Assert.True(await Fleet.EventuallyAsync(() => b.Caps.CountInWindow(7, 11, cap) == 2, TimeSpan.FromSeconds(3)));
        Assert.False(b.Caps.Allows(7, 11, cap));
        Assert.True(b.Caps.Allows(8, 11, cap));
        Assert.Equal(2, a.SharedCaps.Published);
        Assert.Equal(0, a.SharedCaps.Received);
    }
}
