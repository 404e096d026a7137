using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BidEngine.Core.Heuristics;
using BidEngine.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;
using static BidEngine.Server.Tests.NoticeCalls;

namespace BidEngine.Server.Tests;

/// <summary>
/// Outcome notices over real HTTP: a bid carries signed nurl, burl, lurl and a click URL, calling
/// them counts, a refresh moves the heuristic's price the way the outcomes say, and a notice whose
/// campaign is gone is answered without being stored.
/// </summary>
public sealed class NoticeTests : IAsyncLifetime
{
    private DirectoryInfo _folder = null!;
    private string _campaigns = null!;

    public async Task InitializeAsync()
    {
        _folder = Directory.CreateTempSubdirectory("bidengine-notices-");
        _campaigns = await WriteClickCampaignsAsync(_folder.FullName);
    }

    public Task DisposeAsync()
    {
        _folder.Delete(recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>Heuristic pricing only, so that the prior table alone sets the price; refreshes only when a test asks.</summary>
    private BidderHost Host(params string[] more) => BidderHost.With(
        ["--BidEngine:UseModel=false", "--BidEngine:ReloadCampaigns=false", "--BidEngine:CampaignsPath=" + _campaigns,
            "--BidEngine:Notices:BaseUrl=" + BaseUrl, "--BidEngine:Notices:RefreshSeconds=3600", .. more]);

    private static long BucketOf(BidderHost host, SignedBid bid)
    {
        var campaign = Assert.Single(host.Services.GetRequiredService<CampaignStore>().Current.Campaigns, c => c.Id == bid.CampaignId);
        return PlacementBucket.Key(campaign.Creatives.Single(c => c.Id == bid.CreativeId), deviceType: 4);
    }

    /// <summary>Wins <paramref name="times"/> auctions: a bid each, and its billing notice (a notice counts once per bid).</summary>
    private static async Task<List<SignedBid>> BillManyAsync(BidderHost host, int times)
    {
        var bids = new List<SignedBid>();
        for (var i = 0; i < times; i++)
        {
            var bid = await BidAsync(host);
            Assert.Equal(HttpStatusCode.NoContent, await CallAsync(host, bid.Burl, "1"));
            bids.Add(bid);
        }

        return bids;
    }

    [Fact]
    public async Task ABidCarriesSignedNoticeUrlsAndCallingThemCounts()
    {
        await using var host = Host();
        await host.InitializeAsync();

        var bid = await BidAsync(host);

        const string Token = "[A-Za-z0-9_-]{100,}";
        Assert.Matches($"^{Regex.Escape(BaseUrl)}/openrtb2/notice/win\\?t={Token}{Regex.Escape("&p=${AUCTION_PRICE}&cur=${AUCTION_CURRENCY}&mtw=${AUCTION_MIN_TO_WIN}")}$", bid.Nurl);
        Assert.Matches($"^{Regex.Escape(BaseUrl)}/openrtb2/notice/imp\\?t={Token}{Regex.Escape("&p=${AUCTION_PRICE}&cur=${AUCTION_CURRENCY}")}$", bid.Burl);
        Assert.Matches($"^{Regex.Escape(BaseUrl)}/openrtb2/notice/loss\\?t={Token}{Regex.Escape("&loss=${AUCTION_LOSS}&mtw=${AUCTION_MIN_TO_WIN}")}$", bid.Lurl);
        Assert.Matches($"^{Regex.Escape(BaseUrl)}/openrtb2/notice/click\\?t={Token}$", bid.ClickUrl);

        Assert.Equal(HttpStatusCode.NoContent, await CallAsync(host, bid.Nurl, price: "2.5"));
        Assert.Equal(HttpStatusCode.NoContent, await CallAsync(host, bid.Burl, price: "2.5"));
        Assert.Equal(HttpStatusCode.NoContent, await CallAsync(host, bid.ClickUrl!));

        var count = host.Services.GetRequiredService<OutcomeCounts>().Get(bid.CampaignId, BucketOf(host, bid));
        Assert.Equal((1, 1), (count.Impressions, count.Clicks));
        Assert.Equal(1, await MetricAsync(host, "bidengine_notices_total{kind=\"win\"}"));
        Assert.Equal(1, await MetricAsync(host, "bidengine_notices_total{kind=\"imp\"}"));
        Assert.Equal(1, await MetricAsync(host, "bidengine_notices_total{kind=\"click\"}"));
        Assert.Equal(0.0025, await MetricAsync(host, "bidengine_spend_currency_units_total"));
    }

    [Fact]
    public async Task AReplayedBillingNoticeCountsOnceForSpendAndPriors()
    {
        await using var host = Host();
        await host.InitializeAsync();
        var bid = await BidAsync(host);

        // The exchange retries: the same burl three times. It is answered 204 each time and counted once.
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.NoContent, await CallAsync(host, bid.Burl));
        }

        var count = host.Services.GetRequiredService<OutcomeCounts>().Get(bid.CampaignId, BucketOf(host, bid));
        Assert.Equal(1, count.Impressions);
        Assert.Equal(1, await MetricAsync(host, "bidengine_notices_total{kind=\"imp\"}"));
        Assert.Equal(2, await MetricAsync(host, "bidengine_notices_refused_total{reason=\"replayed\"}"));
        Assert.Equal(1, await MetricAsync(host, "bidengine_billing_total{outcome=\"settled\"}"));
        Assert.Equal(0.0015, await MetricAsync(host, "bidengine_spend_currency_units_total"));
    }

    [Fact]
    public async Task ClicksRaiseTheHeuristicPriceOfTheirBucketAfterARefresh()
    {
        await using var host = Host();
        await host.InitializeAsync();
        var before = await BidAsync(host);
        var bucket = BucketOf(host, before);
        var priors = host.Services.GetRequiredService<PriorCtrSource>();
        var ctrBefore = priors.Current.Lookup(before.CampaignId, bucket, 0);
        var cap = host.Services.GetRequiredService<CampaignStore>().Current.Campaigns.Single(c => c.Id == before.CampaignId).MaxBidCpm;
        Assert.True(before.Price < cap, $"the price {before.Price} is already at the campaign's cap {cap}: nothing could rise");

        // One click in ten billed impressions, far above any shipped prior.
        var billed = await BillManyAsync(host, 100);
        foreach (var bid in billed.Take(10))
        {
            Assert.Equal(HttpStatusCode.NoContent, await CallAsync(host, bid.ClickUrl!));
        }

        Assert.True(host.Services.GetRequiredService<PriorRefresher>().Refresh());

        var after = await BidAsync(host);
        Assert.True(priors.Current.Lookup(before.CampaignId, bucket, 0) > ctrBefore);
        Assert.Equal(before.CampaignId, after.CampaignId);
        Assert.True(after.Price > before.Price, $"price {before.Price} -> {after.Price}");
    }

    [Fact]
    public async Task ImpressionsWithoutClicksLowerTheHeuristicPriceAfterARefresh()
    {
        await using var host = Host("--BidEngine:Notices:PriorStrengthImpressions=100");
        await host.InitializeAsync();
        var before = await BidAsync(host);
        var bucket = BucketOf(host, before);
        var priors = host.Services.GetRequiredService<PriorCtrSource>();
        var ctrBefore = priors.Current.Lookup(before.CampaignId, bucket, 0);

        await BillManyAsync(host, 99);
        Assert.Equal(HttpStatusCode.NoContent, await CallAsync(host, before.Burl, "1"));

        Assert.True(host.Services.GetRequiredService<PriorRefresher>().Refresh());

        // m = 100 pseudo-impressions against 100 observed without a click: the CTR halves.
        Assert.Equal(ctrBefore / 2, priors.Current.Lookup(before.CampaignId, bucket, 0), 9);
        var after = await BidAsync(host);
        Assert.True(after.Price < before.Price, $"price {before.Price} -> {after.Price}");
    }

    [Fact]
    public async Task ANoticeForACampaignRemovedSinceTheBidIsAnsweredButNotStored()
    {
        await using var host = Host();
        await host.InitializeAsync();
        var bid = await BidAsync(host);

        // The campaign file (this test's own copy) loses the campaign that bid.
        var json = JsonNode.Parse(await File.ReadAllTextAsync(_campaigns))!;
        var campaigns = json["campaigns"]!.AsArray();
        campaigns.Remove(campaigns.Single(c => c!["id"]!.GetValue<string>() == bid.CampaignId));
        await File.WriteAllTextAsync(_campaigns, json.ToJsonString());
        Assert.True(host.Services.GetRequiredService<CampaignReloader>().Reload(_campaigns));
        Assert.False(host.Services.GetRequiredService<CampaignStore>().Current.TryGetCampaign(bid.CampaignId, out _));

        Assert.Equal(HttpStatusCode.NoContent, await CallAsync(host, bid.Burl));
        Assert.Equal(HttpStatusCode.NoContent, await CallAsync(host, bid.ClickUrl!));

        Assert.Equal(0, host.Services.GetRequiredService<OutcomeCounts>().PairCount);
        Assert.False(host.Services.GetRequiredService<PriorRefresher>().Refresh());
        Assert.Equal(2, await MetricAsync(host, "bidengine_notices_total{kind=\"unknown_campaign\"}"));
        Assert.Equal(0, await MetricAsync(host, "bidengine_spend_currency_units_total"));
    }

    [Fact]
    public async Task WithoutABaseUrlBidsCarryNoNoticeUrls()
    {
        await using var host = BidderHost.With("--BidEngine:CampaignsPath=" + _campaigns, "--BidEngine:ReloadCampaigns=false");
        await host.InitializeAsync();

        using var response = await host.Client.SendAsync(BidRequests.Post(BidRequests.Banner));
        using var doc = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var bid = doc.RootElement.GetProperty("seatbid")[0].GetProperty("bid")[0];

        Assert.False(bid.TryGetProperty("burl", out _));
        Assert.False(bid.TryGetProperty("nurl", out _));
        Assert.False(bid.TryGetProperty("lurl", out _));
        Assert.Contains(Core.Campaigns.Creative.ClickUrlMacro, bid.GetProperty("adm").GetString());
    }

    [Fact]
    public async Task SavesTheRefreshedTableWhereItIsAskedTo()
    {
        var saved = Path.Combine(_folder.FullName, "refreshed.priors.json");
        await using var host = Host("--BidEngine:Notices:SavePath=" + saved);
        await host.InitializeAsync();
        var bid = await BidAsync(host);
        var bucket = BucketOf(host, bid);
        await BillManyAsync(host, 3);

        Assert.True(host.Services.GetRequiredService<PriorRefresher>().Refresh());

        var table = PriorCtrTable.LoadFile(saved);
        Assert.Equal(host.Services.GetRequiredService<PriorCtrSource>().Current.Lookup(bid.CampaignId, bucket, 0), table.Lookup(bid.CampaignId, bucket, 0));
        Assert.Contains("3 impressions", table.File.Source);
    }
}
