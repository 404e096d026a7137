using BidEngine.Core.Events;
using BidEngine.Core.Privacy;

namespace BidEngine.Core.Tests.Privacy;

/// <summary>The privacy reason in the bid log's decision records, and logs written before it was added.</summary>
public sealed class PrivacyReasonInTheLogTests
{
    [Fact]
    public void ABidRecordKeepsItsPrivacyReason()
    {
        var bid = new BidEvent { RequestId = "r", ImpId = "1", CampaignId = "c", PriceCpm = 2, PrivacyReason = PrivacyReason.NoPersonalisationConsent };
        var read = Assert.IsType<BidEvent>(EventSerializer.Deserialize(EventSerializer.Serialize(bid)));
        Assert.Equal(PrivacyReason.NoPersonalisationConsent, read.PrivacyReason);
    }

    [Fact]
    public void RecordsWrittenBeforeTheReasonWasAddedStillReadWithReasonNone()
    {
        // The same records as the version before the privacy reason wrote them: without it, and
        // without the traffic reason that came after it.
        var bid = WithoutLastElement(WithoutLastElement(EventSerializer.Serialize(new BidEvent { RequestId = "r", ImpId = "1", CampaignId = "c", PriceCpm = 2, DecisionMicros = 77, PrivacyReason = PrivacyReason.Coppa })));
        var readBid = Assert.IsType<BidEvent>(EventSerializer.Deserialize(bid));
        Assert.Equal((PrivacyReason.None, 77L, 2.0), (readBid.PrivacyReason, readBid.DecisionMicros, readBid.PriceCpm));

        var noBid = WithoutLastElement(WithoutLastElement(EventSerializer.Serialize(new NoBidEvent { RequestId = "r", DecisionMicros = 5, PrivacyReason = PrivacyReason.ConsentMissing })));
        var readNoBid = Assert.IsType<NoBidEvent>(EventSerializer.Deserialize(noBid));
        Assert.Equal((PrivacyReason.None, 5L), (readNoBid.PrivacyReason, readNoBid.DecisionMicros));
    }

    /// <summary>[tag, [a, b, ..., reason]] → [tag, [a, b, ...]]: the record's fixarray header one shorter, its last (one-byte) element gone.</summary>
    internal static byte[] WithoutLastElement(byte[] record)
    {
        Assert.Equal(0x92, record[0]);
        var header = record[2];
        Assert.InRange(header, 0x91, 0x9f);
        Assert.InRange(record[^1], 0x00, 0x7f);
        var old = record[..^1];
        old[2] = (byte)(header - 1);
        return old;
    }
}
