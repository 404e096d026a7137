using System.Net;
using System.Text.Json;

namespace BidEngine.Server.Tests;

/// <summary>The bidding rules as an exchange sees them, over HTTP with the sample campaigns.</summary>
public sealed class BiddingRulesTests(BidderHost host) : IClassFixture<BidderHost>
{
    private async Task<(HttpStatusCode Status, JsonElement Answer)> Send(string json)
    {
        using var response = await host.Client.SendAsync(BidRequests.Post(json));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    [Fact]
    public async Task BidsOnABannerItHasACreativeFor()
    {
        var (status, answer) = await Send(BidRequests.Banner);

        Assert.Equal(HttpStatusCode.OK, status);
        var bid = answer.GetProperty("seatbid")[0].GetProperty("bid")[0];
        Assert.Equal("imp-1", bid.GetProperty("impid").GetString());
        Assert.Equal(300, bid.GetProperty("w").GetInt32());
        Assert.Equal(250, bid.GetProperty("h").GetInt32());
        Assert.Equal(1, bid.GetProperty("mtype").GetInt32());
        Assert.Equal("USD", answer.GetProperty("cur").GetString());
    }

    [Fact]
    public async Task AnswersNoBidForASizeNoCampaignHas()
    {
        var (status, _) = await Send(BidRequests.Banner.Replace("\"w\":300,\"h\":250", "\"w\":123,\"h\":45", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.NoContent, status);
    }

    [Fact]
    public async Task NeverBidsUnderTheFloor()
    {
        static string Banner(double floor, string? blockedAdvertiser = null) => BidRequests.Banner
            .Replace("\"bidfloor\":0.10", FormattableString.Invariant($"\"bidfloor\":{floor}"), StringComparison.Ordinal)
            .Replace("\"cur\":[\"USD\"]", blockedAdvertiser is null ? "\"cur\":[\"USD\"]" : $"\"cur\":[\"USD\"],\"badv\":[\"{blockedAdvertiser}\"]", StringComparison.Ordinal);

        // Two campaigns bid on the banner; blocking the dearer one's advertiser leaves the cheaper one alone.
        var (_, open) = await Send(Banner(0.10));
        var dearer = open.GetProperty("seatbid")[0].GetProperty("bid")[0];
        var (_, alone) = await Send(Banner(0.10, dearer.GetProperty("adomain")[0].GetString()));
        var cheaper = alone.GetProperty("seatbid")[0].GetProperty("bid")[0];
        var (low, high) = (cheaper.GetProperty("price").GetDouble(), dearer.GetProperty("price").GetDouble());
        Assert.True(low < high, $"the cheaper campaign bid {low}, the dearer {high}");

        // A floor between their prices and under the cheaper campaign's cap: the cheaper campaign is a
        // candidate (its cap could meet the floor) and only its price keeps it out.
        var cap = CampaignCap(cheaper.GetProperty("cid").GetString()!);
        var floor = Math.Min((low + high) / 2, (low + cap) / 2);
        Assert.True(low < floor && floor < cap && floor < high, $"no floor between {low} and {high} under the cap {cap}");

        var request = Banner(floor);
        var (status, answer) = await Send(request);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(dearer.GetProperty("cid").GetString(), answer.GetProperty("seatbid")[0].GetProperty("bid")[0].GetProperty("cid").GetString());
        using (var sent = JsonDocument.Parse(request))
        {
            BidResponseRules.AssertValidAnswer(sent.RootElement, answer);
        }

        // The cheaper campaign alone at that floor: scored, priced under the floor, no bid.
        var before = await host.Management.GetStringAsync("/metrics");
        Assert.Equal(HttpStatusCode.NoContent, (await Send(Banner(floor, dearer.GetProperty("adomain")[0].GetString()))).Status);
        var after = await host.Management.GetStringAsync("/metrics");
        Assert.Equal(1, PrometheusText.Delta(before, after, "bidengine_answers_total{outcome=\"nobid\"}"));
        Assert.Equal(0, PrometheusText.Delta(before, after, "bidengine_no_candidates_total"));

        // A floor over every campaign's cap: no campaign is even a candidate.
        Assert.Equal(HttpStatusCode.NoContent, (await Send(Banner(50))).Status);
        Assert.Equal(1, PrometheusText.Delta(after, await host.Management.GetStringAsync("/metrics"), "bidengine_no_candidates_total"));
    }

    /// <summary>A sample campaign's maxBidCpm, read from the campaign file the host loaded.</summary>
    private static double CampaignCap(string id)
    {
        using var file = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "config", "campaigns.json")));
        return file.RootElement.GetProperty("campaigns").EnumerateArray().Single(c => c.GetProperty("id").GetString() == id).GetProperty("maxBidCpm").GetDouble();
    }

    [Fact]
    public async Task ConvertsAFloorInAnotherCurrency()
    {
        // The price the bidder offers with a token floor, then floors just over and just under it.
        var (_, open) = await Send(BidRequests.Banner);
        var price = open.GetProperty("seatbid")[0].GetProperty("bid")[0].GetProperty("price").GetDouble();

        string WithFloor(double floor, string cur) =>
            BidRequests.Banner.Replace("\"bidfloor\":0.10", FormattableString.Invariant($"\"bidfloor\":{floor},\"bidfloorcur\":\"{cur}\""), StringComparison.Ordinal);

        // 1 GBP = 1.27 USD in config/bidengine.json.
        Assert.Equal(HttpStatusCode.NoContent, (await Send(WithFloor(price * 1.02 / 1.27, "GBP"))).Status);
        Assert.Equal(HttpStatusCode.OK, (await Send(WithFloor(price * 0.98 / 1.27, "GBP"))).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await Send(WithFloor(price * 1.02, "USD"))).Status);

        // 2 JPY is far under any bid, and the answer stays in USD.
        var (jpy, answer) = await Send(WithFloor(2.0, "JPY"));
        Assert.Equal(HttpStatusCode.OK, jpy);
        Assert.Equal("USD", answer.GetProperty("cur").GetString());
    }

    [Fact]
    public async Task SkipsAnImpWhoseFloorCurrencyItHasNoRateFor()
    {
        var (status, _) = await Send(BidRequests.Banner.Replace("\"bidfloor\":0.10", "\"bidfloor\":0.1,\"bidfloorcur\":\"XYZ\"", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.NoContent, status);
    }

    [Fact]
    public async Task AnswersInACurrencyTheRequestAllows()
    {
        var (status, answer) = await Send(BidRequests.Banner.Replace("\"cur\":[\"USD\"]", "\"cur\":[\"EUR\"]", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("EUR", answer.GetProperty("cur").GetString());

        var (none, _) = await Send(BidRequests.Banner.Replace("\"cur\":[\"USD\"]", "\"cur\":[\"XYZ\"]", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.NoContent, none);
    }

    [Fact]
    public async Task RespectsBlockedAdvertisersCategoriesAndApps()
    {
        // Both 300x250 campaigns blocked by domain: no bid.
        var badv = BidRequests.Banner.Replace("\"cur\":[\"USD\"]", "\"cur\":[\"USD\"],\"badv\":[\"acme-shoes.example\",\"globex-travel.example\"]", StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, (await Send(badv)).Status);

        // A parent category blocks its subcategories: IAB18 blocks acme's IAB18-3, globex still bids.
        var bcat = BidRequests.Banner.Replace("\"cur\":[\"USD\"]", "\"cur\":[\"USD\"],\"bcat\":[\"IAB18\"]", StringComparison.Ordinal);
        var (status, answer) = await Send(bcat);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("cmp-globex-mobile", answer.GetProperty("seatbid")[0].GetProperty("bid")[0].GetProperty("cid").GetString());
    }

    [Fact]
    public async Task FollowsCountryAndDeviceTargeting()
    {
        // 728x90 on a desktop in Germany: only the EU desktop campaign (or the run-of-network one) may bid.
        var json = """
            {"id":"r","imp":[{"id":"1","banner":{"w":728,"h":90}}],"site":{"domain":"x.example"},
             "device":{"devicetype":2,"geo":{"country":"DEU"}},"badv":["acme-shoes.example"]}
            """;
        var (status, answer) = await Send(json);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("cmp-hooli-desktop-eu", answer.GetProperty("seatbid")[0].GetProperty("bid")[0].GetProperty("cid").GetString());

        var (elsewhere, _) = await Send(json.Replace("DEU", "USA", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.NoContent, elsewhere);
    }

    [Fact]
    public async Task SendsOneBidPerImpAtMost()
    {
        var json = """
            {"id":"r","imp":[{"id":"a","banner":{"format":[{"w":300,"h":250},{"w":728,"h":90}]}},{"id":"b","video":{"mimes":["video/mp4"],"maxduration":30}},{"id":"c","banner":{"w":1,"h":1}}],
             "device":{"devicetype":4,"geo":{"country":"USA"}}}
            """;
        var (status, answer) = await Send(json);
        Assert.Equal(HttpStatusCode.OK, status);
        var impIds = answer.GetProperty("seatbid").EnumerateArray().SelectMany(s => s.GetProperty("bid").EnumerateArray()).Select(b => b.GetProperty("impid").GetString()).ToList();
        Assert.Equal(["a", "b"], impIds.Order().ToList());
    }

    [Fact]
    public async Task DoesNotBidOnAPrivateAuctionItHasNoDealFor()
    {
        var json = BidRequests.Banner.Replace("\"bidfloor\":0.10", "\"bidfloor\":0.10,\"pmp\":{\"private_auction\":1,\"deals\":[{\"id\":\"d1\"}]}", StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, (await Send(json)).Status);
    }
}
