using BidEngine.Core.Events;
using BidEngine.Core.Tests.Privacy;
using BidEngine.Core.Traffic;

namespace BidEngine.Core.Tests.Traffic;

/// <summary>The traffic reason in the bid log's decision records, and logs written before it was added.</summary>
public sealed class TrafficReasonInTheLogTests
{
    [Fact]
    public void DecisionRecordsKeepTheirTrafficReason()
    {
        var noBid = new NoBidEvent { RequestId = "r", TrafficReason = TrafficReason.KnownBot };
        Assert.Equal(TrafficReason.KnownBot, Assert.IsType<NoBidEvent>(EventSerializer.Deserialize(EventSerializer.Serialize(noBid))).TrafficReason);
        var bid = new BidEvent { RequestId = "r", ImpId = "1", CampaignId = "c", PriceCpm = 2, TrafficReason = TrafficReason.IpRate };
        Assert.Equal(TrafficReason.IpRate, Assert.IsType<BidEvent>(EventSerializer.Deserialize(EventSerializer.Serialize(bid))).TrafficReason);
    }

    [Fact]
    public void RecordsWrittenBeforeTheReasonWasAddedStillReadWithReasonNone()
    {
        var noBid = PrivacyReasonInTheLogTests.WithoutLastElement(EventSerializer.Serialize(new NoBidEvent { RequestId = "r", PrivacyReason = Core.Privacy.PrivacyReason.Coppa, TrafficReason = TrafficReason.SellerNotListed }));
        var read = Assert.IsType<NoBidEvent>(EventSerializer.Deserialize(noBid));
        Assert.Equal((TrafficReason.None, Core.Privacy.PrivacyReason.Coppa), (read.TrafficReason, read.PrivacyReason));
    }
}
