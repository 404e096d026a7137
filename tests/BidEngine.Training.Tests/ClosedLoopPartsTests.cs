using BidEngine.Core.Campaigns;
using BidEngine.Core.Features;
using BidEngine.OpenRtb.Parsing;
using BidEngine.OpenRtb.Request;
using BidEngine.Training.ClosedLoop;
using BidEngine.Training.Simulation;

namespace BidEngine.Training.Tests;

/// <summary>The closed loop's pieces: the requests it sends, the config it gives the bidder, and how it plays the exchange's notices.</summary>
public sealed class ClosedLoopPartsTests : IDisposable
{
    private static readonly Uri Bidder = new("http://127.0.0.1:5397");

    private readonly string _dir = Directory.CreateTempSubdirectory("bidengine-loop-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void TheBidderReadsTheSameFeaturesFromTheLoopsRequestAsTheSimulatorLogs()
    {
        var world = new SimWorld(7, TestRequests.Campaigns, syntheticCampaigns: 10);
        var simulator = new TrafficSimulator(world);
        var random = new Random(7);
        var parsed = new BidRequest();
        var fromSimulator = new long[FeatureSpec.FeatureCount];
        var fromRequest = new long[FeatureSpec.FeatureCount];
        var kinds = new HashSet<CreativeKind>();
        for (var i = 0; i < 2_000; i++)
        {
            var time = TestRequests.Noon.AddMinutes(i * 7);
            var sim = simulator.Draw(random, time);
            kinds.Add(sim.Placement.Kind);
            FeatureSpec.Hash(FeatureInputs.From(simulator.Request, simulator.Request.Imps[0], sim.Campaign, sim.Creative, time), fromSimulator, 18);

            parsed.Reset();
            var body = LoopRequest.Write("cl-" + i, sim, world, 200);
            var result = BidRequestParser.Parse(body, parsed);
            Assert.True(result.IsSuccess, System.Text.Encoding.UTF8.GetString(body));
            FeatureSpec.Hash(FeatureInputs.From(parsed, parsed.Imps[0], sim.Campaign, sim.Creative, time), fromRequest, 18);
            Assert.Equal(fromSimulator, fromRequest);
        }

        Assert.Equal([CreativeKind.Banner, CreativeKind.Video, CreativeKind.Native], kinds.Order());
    }

    [Fact]
    public void TheConfigHoldsTheWorldsCampaignsAndEveryCreativeCarriesTheClickUrl()
    {
        var world = new SimWorld(42, TestRequests.Campaigns, syntheticCampaigns: 10);
        LoopConfig.Write(_dir, world.Campaigns);

        var loaded = CampaignLoader.LoadFile(Path.Combine(_dir, LoopConfig.CampaignsFile));
        Assert.Equal(world.Campaigns.Select(c => c.Id), loaded.Select(c => c.Id));
        Assert.Equal(world.Pairs.Select(p => (p.Campaign.Id, p.Creative.Id, p.Creative.Kind, p.Creative.W, p.Creative.H)),
            loaded.SelectMany(c => c.Creatives.Select(cr => (c.Id, cr.Id, cr.Kind, cr.W, cr.H))));
        Assert.Equal(world.Campaigns.Select(c => (c.ValuePerClick, c.MaxBidCpm, c.CtrPrior)), loaded.Select(c => (c.ValuePerClick, c.MaxBidCpm, c.CtrPrior)));
        Assert.All(loaded.SelectMany(c => c.Creatives), cr => Assert.Contains(Creative.ClickUrlMacro, cr.Adm, StringComparison.Ordinal));
        Assert.All(loaded, c => Assert.Equal(CampaignBudget.Unlimited, c.Rules.Budget));
        Assert.True(File.Exists(Path.Combine(_dir, LoopConfig.SettingsFile)));
    }

    [Fact]
    public void ReplacesEveryAuctionMacroThatTheUrlCarries()
    {
        const string Url = "http://127.0.0.1:5397/n?p=${AUCTION_PRICE}&c=${AUCTION_CURRENCY}&l=${AUCTION_LOSS}&m=${AUCTION_MIN_TO_WIN}&t=abc";
        Assert.Equal("http://127.0.0.1:5397/n?p=1.2346&c=USD&l=${AUCTION_LOSS}&m=${AUCTION_MIN_TO_WIN}&t=abc", ExchangeNotices.Substitute(Url, 1.234567, "USD", null, null));
        Assert.Equal("http://127.0.0.1:5397/n?p=${AUCTION_PRICE}&c=EUR&l=102&m=3.5&t=abc", ExchangeNotices.Substitute(Url, null, "EUR", 102, 3.5));
    }

    [Theory]
    [InlineData("<a href=\"http://127.0.0.1:5397/openrtb2/notice/click?c=a&amp;b=3&amp;t=x\"><img src=\"https://cdn.example/a.png\"></a>", "http://127.0.0.1:5397/openrtb2/notice/click?c=a&b=3&t=x")]
    [InlineData("{\"native\":{\"link\":{\"url\":\"http://127.0.0.1:5397/openrtb2/notice/click?c=a&b=3\"}}}", "http://127.0.0.1:5397/openrtb2/notice/click?c=a&b=3")]
    [InlineData("<VAST><ClickThrough><![CDATA[http://127.0.0.1:5397/c?t=1]]></ClickThrough></VAST>", "http://127.0.0.1:5397/c?t=1")]
    [InlineData("<img src=\"http://127.0.0.1:5397/px?i=1\"><a href='http://127.0.0.1:5397/openrtb2/notice/click?t=2'>x</a>", "http://127.0.0.1:5397/openrtb2/notice/click?t=2")]
    [InlineData("<a href=\"https://advertiser.example/click\">x</a>", null)]
    [InlineData("<a href=\"http://127.0.0.1:6000/openrtb2/notice/click?c=a\">x</a>", null)]
    public void FindsTheClickUrlOnTheBidderInTheMarkup(string adm, string? expected) =>
        Assert.Equal(expected, ExchangeNotices.FindClickUrl(adm, Bidder));

    [Theory]
    [InlineData("http://127.0.0.1:5397/openrtb2/notice/imp?p=1", true)]
    [InlineData("http://127.0.0.1:5398/openrtb2/notice/imp?p=1", false)]
    [InlineData("https://127.0.0.1:5397/openrtb2/notice/imp?p=1", false)]
    [InlineData("https://ads.bidengine.example/vast/initech-15s.xml?price=1", false)]
    [InlineData("/openrtb2/notice/imp", false)]
    public void CallsOnlyUrlsOnTheBiddersOwnAddress(string url, bool expected) =>
        Assert.Equal(expected, ExchangeNotices.IsOnBidder(url, Bidder));
}
