using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BidEngine.Core.Campaigns;
using BidEngine.Core.Heuristics;
using Microsoft.Extensions.DependencyInjection;

namespace BidEngine.Server.Tests;

/// <summary>
/// Outcome notices over real HTTP: a bid carries burl and a click URL, calling them counts, a
/// refresh moves the heuristic's price the way the outcomes say, and junk is refused or dropped.
/// </summary>
public sealed partial class NoticeTests : IAsyncLifetime
{
    private const string BaseUrl = "https://bidder.example.com";

    private DirectoryInfo _folder = null!;
    private string _campaigns = null!;

    public async Task InitializeAsync()
    {
        // The sample campaigns with every markup link turned into the bidder's click URL, and no
        // price cap within reach, so that a changed prior always shows in the price.
        _folder = Directory.CreateTempSubdirectory("bidengine-notices-");
        _campaigns = Path.Combine(_folder.FullName, "campaigns.json");
        var json = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "config", "campaigns.json")))!;
        foreach (var campaign in json["campaigns"]!.AsArray())
        {
            campaign!["maxBidCpm"] = 1000;
        }

        foreach (var creative in json["campaigns"]!.AsArray().SelectMany(c => c!["creatives"]!.AsArray()))
        {
            if (creative!["adm"] is JsonValue adm)
            {
                creative["adm"] = Href().Replace(adm.GetValue<string>(), $"href=\"{Creative.ClickUrlMacro}\"");
            }
        }

        await File.WriteAllTextAsync(_campaigns, json.ToJsonString());
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

    private sealed record Bid(string CampaignId, long Bucket, double Price, string Burl, string? ClickUrl);

    private static async Task<Bid> BidAsync(BidderHost host)
    {
        using var response = await host.Client.SendAsync(BidRequests.Post(BidRequests.Banner));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var bid = doc.RootElement.GetProperty("seatbid")[0].GetProperty("bid")[0];
        var burl = bid.GetProperty("burl").GetString()!;
        var click = Href().Match(bid.GetProperty("adm").GetString() ?? "");
        var bucket = long.Parse(Regex.Match(burl, "[?&]b=([0-9]+)").Groups[1].Value, CultureInfo.InvariantCulture);
        return new Bid(bid.GetProperty("cid").GetString()!, bucket, bid.GetProperty("price").GetDouble(), burl, click.Success ? click.Groups[1].Value : null);
    }

    /// <summary>The notice URL as the bidder wrote it, sent to the test host instead of the public name.</summary>
    private static async Task<HttpResponseMessage> CallAsync(BidderHost host, string url, string price = "1.5")
    {
        Assert.StartsWith(BaseUrl + "/openrtb2/notice/", url);
        return await host.Client.GetAsync(url[BaseUrl.Length..].Replace("${AUCTION_PRICE}", price, StringComparison.Ordinal));
    }

    private static async Task CallManyAsync(BidderHost host, string url, int times)
    {
        for (var i = 0; i < times; i++)
        {
            using var response = await CallAsync(host, url);
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }
    }

    /// <summary>Wins <paramref name="times"/> auctions: a bid each, and its billing notice (a notice counts once per bid).</summary>
    private static async Task BillManyAsync(BidderHost host, int times)
    {
        for (var i = 0; i < times; i++)
        {
            var bid = await BidAsync(host);
            using var response = await CallAsync(host, bid.Burl, "1");
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }
    }

    [Fact]
    public async Task ABidCarriesBurlAndAClickUrlAndCallingThemCounts()
    {
        await using var host = Host();
        await host.InitializeAsync();

        var bid = await BidAsync(host);

        var campaign = Assert.Single(host.Services.GetRequiredService<Hosting.CampaignStore>().Current.Campaigns, c => c.Id == bid.CampaignId);
        var expectedBucket = PlacementBucket.Key(campaign.Creatives.First(c => c.W == 300 && c.H == 250), deviceType: 4);
        Assert.Matches($"^{Regex.Escape($"{BaseUrl}/openrtb2/notice/imp?c={bid.CampaignId}&b={expectedBucket}&i=")}[0-9]+{Regex.Escape("&u=0&cur=USD&p=${AUCTION_PRICE}")}$", bid.Burl);
        Assert.Equal($"{BaseUrl}/openrtb2/notice/click?c={bid.CampaignId}&b={expectedBucket}", bid.ClickUrl);

        using (var billed = await CallAsync(host, bid.Burl, price: "2.5"))
        {
            Assert.Equal(HttpStatusCode.NoContent, billed.StatusCode);
        }

        using (var clicked = await CallAsync(host, bid.ClickUrl!))
        {
            Assert.Equal(HttpStatusCode.NoContent, clicked.StatusCode);
        }

        var count = host.Services.GetRequiredService<OutcomeCounts>().Get(bid.CampaignId, bid.Bucket);
        Assert.Equal((1, 1), (count.Impressions, count.Clicks));
        var metrics = await host.Client.GetStringAsync("/metrics");
        Assert.Contains("bidengine_notices_total{kind=\"imp\"} 1", metrics);
        Assert.Contains("bidengine_notices_total{kind=\"click\"} 1", metrics);
        Assert.Contains("bidengine_spend_currency_units_total 0.0025", metrics);
    }

    [Fact]
    public async Task AReplayedBillingNoticeCountsOnceForSpendAndPriors()
    {
        await using var host = Host();
        await host.InitializeAsync();
        var bid = await BidAsync(host);

        // The exchange retries: the same burl three times. The ledger settles it once.
        await CallManyAsync(host, bid.Burl, 3);

        var count = host.Services.GetRequiredService<OutcomeCounts>().Get(bid.CampaignId, bid.Bucket);
        Assert.Equal(1, count.Impressions);
        var metrics = await host.Client.GetStringAsync("/metrics");
        Assert.Contains("bidengine_notices_total{kind=\"imp\"} 1", metrics);
        Assert.Contains("bidengine_notices_total{kind=\"not_billed\"} 2", metrics);
        Assert.Contains("bidengine_billing_total{outcome=\"already_settled\"} 2", metrics);
        Assert.Contains("bidengine_spend_currency_units_total 0.0015", metrics);
    }

    [Fact]
    public async Task ClicksRaiseTheHeuristicPriceOfTheirBucketAfterARefresh()
    {
        await using var host = Host();
        await host.InitializeAsync();
        var before = await BidAsync(host);
        var priors = host.Services.GetRequiredService<PriorCtrSource>();
        var ctrBefore = priors.Current.Lookup(before.CampaignId, before.Bucket, 0);
        var cap = host.Services.GetRequiredService<Hosting.CampaignStore>().Current.Campaigns.Single(c => c.Id == before.CampaignId).MaxBidCpm;
        Assert.True(before.Price < cap, $"the price {before.Price} is already at the campaign's cap {cap}: nothing could rise");

        // One click in ten impressions, far above any shipped prior.
        await BillManyAsync(host, 100);
        await CallManyAsync(host, before.ClickUrl!, 10);
        Assert.True(host.Services.GetRequiredService<PriorRefresher>().Refresh());

        var after = await BidAsync(host);
        Assert.True(priors.Current.Lookup(before.CampaignId, before.Bucket, 0) > ctrBefore);
        Assert.Equal(before.CampaignId, after.CampaignId);
        Assert.True(after.Price > before.Price, $"price {before.Price} -> {after.Price}");
    }

    [Fact]
    public async Task ImpressionsWithoutClicksLowerTheHeuristicPriceAfterARefresh()
    {
        await using var host = Host("--BidEngine:Notices:PriorStrengthImpressions=100");
        await host.InitializeAsync();
        var before = await BidAsync(host);
        var priors = host.Services.GetRequiredService<PriorCtrSource>();
        var ctrBefore = priors.Current.Lookup(before.CampaignId, before.Bucket, 0);

        await BillManyAsync(host, 99);
        using (var last = await CallAsync(host, before.Burl, "1"))
        {
            Assert.Equal(HttpStatusCode.NoContent, last.StatusCode);
        }

        Assert.True(host.Services.GetRequiredService<PriorRefresher>().Refresh());

        // m = 100 pseudo-impressions against 100 observed without a click: the CTR halves.
        Assert.Equal(ctrBefore / 2, priors.Current.Lookup(before.CampaignId, before.Bucket, 0), 9);
        var after = await BidAsync(host);
        Assert.True(after.Price < before.Price, $"price {before.Price} -> {after.Price}");
    }

    [Fact]
    public async Task AnswersUnknownCampaignsAndBucketsWithoutStoringThem()
    {
        await using var host = Host();
        await host.InitializeAsync();
        var bid = await BidAsync(host);
        var otherSize = PlacementBucket.Key((int)CreativeKind.Banner, 1, 1, 1);

        for (var i = 0; i < 50; i++)
        {
            using var imp = await host.Client.GetAsync($"/openrtb2/notice/imp?c=junk-{i}&b={bid.Bucket}&i=1&p=1");
            using var click = await host.Client.GetAsync($"/openrtb2/notice/click?c=junk-{i}&b={bid.Bucket}");
            Assert.Equal(HttpStatusCode.NoContent, imp.StatusCode);
            Assert.Equal(HttpStatusCode.NoContent, click.StatusCode);
        }

        using (var wrongBucket = await host.Client.GetAsync($"/openrtb2/notice/click?c={bid.CampaignId}&b={otherSize}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, wrongBucket.StatusCode);
        }

        Assert.Equal(0, host.Services.GetRequiredService<OutcomeCounts>().PairCount);
        Assert.False(host.Services.GetRequiredService<PriorRefresher>().Refresh());
        var metrics = await host.Client.GetStringAsync("/metrics");
        Assert.Contains("bidengine_notices_total{kind=\"unknown_campaign\"} 100", metrics);
        Assert.Contains("bidengine_notices_total{kind=\"unknown_bucket\"} 1", metrics);
        Assert.Matches("(?m)^bidengine_spend_currency_units_total 0$", metrics);
    }

    [Fact]
    public async Task WithoutABaseUrlBidsCarryNoBurl()
    {
        await using var host = BidderHost.With("--BidEngine:CampaignsPath=" + _campaigns, "--BidEngine:ReloadCampaigns=false");
        await host.InitializeAsync();

        using var response = await host.Client.SendAsync(BidRequests.Post(BidRequests.Banner));
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var bid = doc.RootElement.GetProperty("seatbid")[0].GetProperty("bid")[0];

        Assert.False(bid.TryGetProperty("burl", out _));
        Assert.Contains(Creative.ClickUrlMacro, bid.GetProperty("adm").GetString());
    }

    [Fact]
    public async Task SavesTheRefreshedTableWhereItIsAskedTo()
    {
        var saved = Path.Combine(_folder.FullName, "refreshed.priors.json");
        await using var host = Host("--BidEngine:Notices:SavePath=" + saved);
        await host.InitializeAsync();
        var bid = await BidAsync(host);
        await BillManyAsync(host, 3);

        Assert.True(host.Services.GetRequiredService<PriorRefresher>().Refresh());

        var table = PriorCtrTable.LoadFile(saved);
        Assert.Equal(host.Services.GetRequiredService<PriorCtrSource>().Current.Lookup(bid.CampaignId, bid.Bucket, 0), table.Lookup(bid.CampaignId, bid.Bucket, 0));
        Assert.Contains("3 impressions", table.File.Source);
    }

    [GeneratedRegex("href=\"([^\"]*)\"")]
    private static partial Regex Href();
}
