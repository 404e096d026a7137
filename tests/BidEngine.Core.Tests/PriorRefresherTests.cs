using System.Text;
using BidEngine.Core.Campaigns;
using BidEngine.Core.Candidates;
using BidEngine.Core.Deadlines;
using BidEngine.Core.Heuristics;
using BidEngine.OpenRtb.Parsing;
using BidEngine.OpenRtb.Request;

namespace BidEngine.Core.Tests;

/// <summary>The refreshed priors: Beta-Binomial posterior means with the shipped table as the prior.</summary>
public sealed class PriorRefresherTests
{
    private const double M = 1000;

    private static readonly long Mobile300x250 = PlacementBucket.Key((int)CreativeKind.Banner, 300, 250, 1);
    private static readonly long Desktop300x250 = PlacementBucket.Key((int)CreativeKind.Banner, 300, 250, 2);
    private static readonly long Mobile320x50 = PlacementBucket.Key((int)CreativeKind.Banner, 320, 50, 1);

    private static PriorCtrFile Shipped() => new()
    {
        Description = "shipped",
        Source = "training",
        GlobalCtr = 0.004,
        SmoothingImpressions = 1000,
        Campaigns =
        [
            new PriorCtrCampaign
            {
                Id = "c1",
                Ctr = 0.005,
                Impressions = 50_000,
                Clicks = 250,
                Buckets =
                [
                    new PriorCtrBucket { Name = "banner-300x250/mobile", Kind = 1, W = 300, H = 250, DeviceClass = 1, Ctr = 0.01, Impressions = 20_000, Clicks = 200 },
                    new PriorCtrBucket { Name = "banner-300x250/desktop", Kind = 1, W = 300, H = 250, DeviceClass = 2, Ctr = 0.002, Impressions = 30_000, Clicks = 50 },
                ],
            },
        ],
    };

    private static double NoFallback(string id) => throw new InvalidOperationException($"no fallback expected for {id}");

    [Fact]
    public void MovesAShippedBucketAndItsCampaignToThePosteriorMean()
    {
        var shipped = Shipped();
        var refreshed = PriorRefresher.Build(shipped, [new OutcomeCount("c1", Mobile300x250, 1000, 30)], M, NoFallback, "test");

        var campaign = Assert.Single(refreshed.Campaigns);
        var bucket = campaign.Buckets.Single(b => b.DeviceClass == 1);

        // (30 + 1000 × 0.01) / (1000 + 1000) and, for the campaign, (30 + 1000 × 0.005) / (1000 + 1000).
        Assert.Equal(0.02, bucket.Ctr, 12);
        Assert.Equal(0.0175, campaign.Ctr, 12);
        Assert.Equal(21_000, bucket.Impressions);
        Assert.Equal(230, bucket.Clicks);
        Assert.Equal(51_000, campaign.Impressions);
        Assert.Equal(280, campaign.Clicks);

        // The unobserved bucket keeps its value, and the shipped file is left as it was.
        Assert.Equal(0.002, campaign.Buckets.Single(b => b.DeviceClass == 2).Ctr);
        Assert.Equal(0.01, shipped.Campaigns[0].Buckets[0].Ctr);
        Assert.Equal(20_000, shipped.Campaigns[0].Buckets[0].Impressions);
        Assert.Contains("test", refreshed.Source);
    }

    [Fact]
    public void StartsABucketObservedButNotShippedFromItsCampaignsPrior()
    {
        var refreshed = PriorRefresher.Build(Shipped(), [new OutcomeCount("c1", Mobile320x50, 500, 0)], M, NoFallback, "test");

        var bucket = refreshed.Campaigns[0].Buckets.Single(b => b.W == 320);
        Assert.Equal(1000 * 0.005 / 1500, bucket.Ctr, 12);
        Assert.Equal("banner-320x50/mobile", bucket.Name);
        Assert.Equal((1, 320, 50, 1), (bucket.Kind, bucket.W, bucket.H, bucket.DeviceClass));
        Assert.Equal(500, bucket.Impressions);

        var table = new PriorCtrTable(refreshed);
        Assert.Equal(bucket.Ctr, table.Lookup("c1", Mobile320x50, fallback: 0.5), 12);
    }

    [Fact]
    public void RefreshesACampaignFromTheSumOfItsBuckets()
    {
        var refreshed = PriorRefresher.Build(
            Shipped(),
            [new OutcomeCount("c1", Mobile300x250, 3000, 10), new OutcomeCount("c1", Desktop300x250, 1000, 10)],
            M,
            NoFallback,
            "test");

        Assert.Equal((20 + (M * 0.005)) / (4000 + M), refreshed.Campaigns[0].Ctr, 12);
        Assert.Equal((10 + (M * 0.002)) / (1000 + M), refreshed.Campaigns[0].Buckets.Single(b => b.DeviceClass == 2).Ctr, 12);
    }

    [Fact]
    public void StartsACampaignTheTableDoesNotKnowFromItsFallback()
    {
        var refreshed = PriorRefresher.Build(Shipped(), [new OutcomeCount("c2", Mobile300x250, 1000, 0)], M, id => id == "c2" ? 0.006 : 0, "test");

        var campaign = refreshed.Campaigns.Single(c => c.Id == "c2");
        Assert.Equal(0.003, campaign.Ctr, 12);
        Assert.Equal(0.003, Assert.Single(campaign.Buckets).Ctr, 12);
    }

    [Theory]
    [InlineData(0, 0, 0.01, 0.01)]
    [InlineData(0, 1_000_000, 0.01, 0.01 * 1000 / 1_001_000)]
    [InlineData(5000, 0, 0.5, 0.999999999)]
    [InlineData(0, 0, 0.0, 1e-9)]
    public void KeepsThePosteriorAProbability(long clicks, long impressions, double prior, double expected) =>
        Assert.Equal(expected, PriorRefresher.Posterior(clicks, impressions, prior, M), 12);

    [Fact]
    public void SwapsInATableThatTheDeadlinePolicyReadsOnTheNextLookup()
    {
        var campaign = TestCampaigns.Campaign("c1", [TestCampaigns.Banner("cr", 300, 250)], ctrPrior: 0.003);
        var source = new PriorCtrSource(new PriorCtrTable(Shipped()));
        var policy = new DeadlinePolicy(new DeadlineOptions(), source);
        var counts = new OutcomeCounts();
        var refresher = new PriorRefresher(source, counts, M, _ => 0.003);
        var request = new BidRequest();
        Assert.True(BidRequestParser.Parse(Encoding.UTF8.GetBytes("""{"id":"r","imp":[{"id":"1","banner":{"w":300,"h":250}}],"device":{"devicetype":4}}"""), request).IsSuccess);
        var candidate = new Candidate(0, campaign, campaign.Creatives[0], 0);
        Assert.Equal(0.01, policy.HeuristicCtr(request, candidate));

        for (var i = 0; i < 1000; i++)
        {
            counts.AddImpression("c1", Mobile300x250);
        }

        Assert.True(refresher.Refresh());
        Assert.Equal(1000 * 0.01 / 2000, policy.HeuristicCtr(request, candidate), 12);

        for (var i = 0; i < 100; i++)
        {
            counts.AddClick("c1", Mobile300x250);
        }

        Assert.True(refresher.Refresh());
        Assert.Equal((100 + (1000 * 0.01)) / 2000, policy.HeuristicCtr(request, candidate), 12);
    }

    [Fact]
    public void DoesNothingWhenNothingNewWasObserved()
    {
        var source = new PriorCtrSource(new PriorCtrTable(Shipped()));
        var counts = new OutcomeCounts();
        var refresher = new PriorRefresher(source, counts, M, _ => 0.003);
        counts.AddImpression("c1", Mobile300x250);
        Assert.True(refresher.Refresh());
        var table = source.Current;

        Assert.False(refresher.Refresh());
        Assert.Same(table, source.Current);
    }

    [Fact]
    public void SavesEachRefreshedTableSoThatItLoadsBack()
    {
        var folder = Directory.CreateTempSubdirectory("bidengine-priors-");
        try
        {
            var path = Path.Combine(folder.FullName, "refreshed.json");
            var source = new PriorCtrSource(new PriorCtrTable(Shipped()));
            var counts = new OutcomeCounts();
            var refresher = new PriorRefresher(source, counts, M, _ => 0.003, path);
            counts.AddImpression("c1", Mobile300x250);
            counts.AddClick("c1", Mobile300x250);
            Assert.True(refresher.Refresh());

            var loaded = PriorCtrTable.LoadFile(path);
            Assert.Equal(source.Current.Lookup("c1", Mobile300x250, 0), loaded.Lookup("c1", Mobile300x250, 0));
            Assert.Equal(20_001, loaded.File.Campaigns[0].Buckets.Single(b => b.DeviceClass == 1).Impressions);
            Assert.False(File.Exists(path + ".tmp"));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
