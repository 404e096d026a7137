using BidEngine.Core.Campaigns;
using BidEngine.Core.Heuristics;
using BidEngine.Core.Notices;

namespace BidEngine.Core.Tests;

public sealed class OutcomeNoticesTests
{
    private static readonly Campaign Acme = TestCampaigns.Campaign("cmp acme", [TestCampaigns.Banner("cr", 300, 250)]);
    private static readonly string Mobile300x250 = PlacementBucket.Key(Acme.Creatives[0], deviceType: 4).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static OutcomeNotices Notices(out OutcomeCounts counts)
    {
        var snapshot = TestCampaigns.Snapshot(Acme);
        counts = new OutcomeCounts();
        return new OutcomeNotices(() => snapshot, counts);
    }

    [Fact]
    public void CountsImpressionsAndClicksOfABucketTheCampaignBidsIn()
    {
        var notices = Notices(out var counts);

        var impression = notices.Record(NoticeKind.Impression, "cmp acme", Mobile300x250, "2.75");
        var click = notices.Record(NoticeKind.Click, "cmp acme", Mobile300x250, null);

        Assert.Equal(NoticeOutcome.Recorded, impression.Outcome);
        Assert.Equal(2.75, impression.PriceCpm);
        Assert.Equal(NoticeOutcome.Recorded, click.Outcome);
        var count = counts.Get("cmp acme", long.Parse(Mobile300x250, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal((1, 1), (count.Impressions, count.Clicks));
    }

    [Theory]
    [InlineData(null, "1", "1", "c", "missing_field")]
    [InlineData("", "1", "1", "c", "missing_field")]
    [InlineData("cmp acme", null, "1", "b", "missing_field")]
    [InlineData("cmp acme", "-5", "1", "b", "bad_value")]
    [InlineData("cmp acme", "12x", "1", "b", "bad_value")]
    [InlineData("cmp acme", "1.5", "1", "b", "bad_value")]
    [InlineData("cmp acme", "99999999999999999999", "1", "b", "bad_value")]
    [InlineData("cmp acme", "1", null, "p", "missing_field")]
    [InlineData("cmp acme", "1", "-0.5", "p", "bad_value")]
    [InlineData("cmp acme", "1", "${AUCTION_PRICE}", "p", "bad_value")]
    [InlineData("cmp acme", "1", "NaN", "p", "bad_value")]
    [InlineData("cmp acme", "1", "1e3", "p", "bad_value")]
    [InlineData("cmp acme", "1", "2000000", "p", "bad_value")]
    public void RefusesAMalformedImpressionNoticeNamingTheField(string? c, string? b, string? p, string field, string error)
    {
        var notices = Notices(out var counts);

        var result = notices.Record(NoticeKind.Impression, c, b, p);

        Assert.Equal(NoticeOutcome.Bad, result.Outcome);
        Assert.Equal(field, result.Field);
        Assert.Equal(error, result.Error);
        Assert.Contains(field, result.Message);
        Assert.Equal(0, counts.PairCount);
    }

    [Fact]
    public void RefusesAnOverlongCampaignId()
    {
        var result = Notices(out _).Record(NoticeKind.Click, new string('x', OutcomeNotices.MaxCampaignIdLength + 1), "1", null);
        Assert.Equal(("c", "bad_value"), (result.Field, result.Error));
    }

    [Fact]
    public void DoesNotStoreUnknownCampaignsOrBuckets()
    {
        var notices = Notices(out var counts);
        var otherSize = PlacementBucket.Key((int)CreativeKind.Banner, 728, 90, 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var strayBits = (PlacementBucket.Key(Acme.Creatives[0], 4) | 0x100).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var noSuchDeviceClass = PlacementBucket.Key((int)CreativeKind.Banner, 300, 250, 9).ToString(System.Globalization.CultureInfo.InvariantCulture);

        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(NoticeOutcome.UnknownCampaign, notices.Record(NoticeKind.Impression, "junk-" + i, Mobile300x250, "1").Outcome);
            Assert.Equal(NoticeOutcome.UnknownCampaign, notices.Record(NoticeKind.Click, "junk-" + i, Mobile300x250, null).Outcome);
        }

        Assert.Equal(NoticeOutcome.UnknownBucket, notices.Record(NoticeKind.Click, "cmp acme", otherSize, null).Outcome);
        Assert.Equal(NoticeOutcome.UnknownBucket, notices.Record(NoticeKind.Click, "cmp acme", strayBits, null).Outcome);
        Assert.Equal(NoticeOutcome.UnknownBucket, notices.Record(NoticeKind.Click, "cmp acme", noSuchDeviceClass, null).Outcome);
        Assert.Equal(0, counts.PairCount);
    }
}
