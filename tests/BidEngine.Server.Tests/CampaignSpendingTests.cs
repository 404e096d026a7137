using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using BidEngine.Core.Time;
using BidEngine.Server.Hosting;
using static BidEngine.Server.Tests.State.BidderProcessCalls;
using Microsoft.Extensions.DependencyInjection;

namespace BidEngine.Server.Tests;

/// <summary>
/// Budgets, reservations, flights, dayparts, frequency caps, deals and refused campaign files over
/// real HTTP: the real server in a temporary config folder, on a manual clock the tests move.
/// Prices are fixed: every test campaign's expected value is far above its <c>maxBidCpm</c>, so it
/// bids exactly that cap (second price, no shading) and one impression costs cap / 1000.
/// </summary>
public sealed class CampaignSpendingTests : IDisposable
{
    private const string BaseUrl = "https://bidder.example.com";

    /// <summary>A Monday, 06:30 UTC (08:30 in Berlin, summer time).</summary>
    private static readonly DateTimeOffset Monday0630 = new(2026, 6, 1, 6, 30, 0, TimeSpan.Zero);

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("bidengine-spending-");

    public void Dispose() => _folder.Delete(recursive: true);

    private string CampaignsFile => Path.Combine(_folder.FullName, "campaigns.json");

    private void WriteCampaigns(params JsonObject[] campaigns) =>
        File.WriteAllText(CampaignsFile, new JsonObject { ["$schema"] = "./campaigns.schema.json", ["campaigns"] = new JsonArray(campaigns) }.ToJsonString());

    /// <summary>The real server on this test's config folder and <paramref name="clock"/>: heuristic prices, notices on.</summary>
    private async Task<BidderHost> StartAsync(ManualClock clock, params JsonObject[] campaigns)
    {
        File.Copy(Path.Combine(AppContext.BaseDirectory, "config", "bidengine.json"), Path.Combine(_folder.FullName, "bidengine.json"), overwrite: true);
        WriteCampaigns(campaigns);
        var host = BidderHost.With(
            services => services.AddSingleton<IClock>(clock),
            "--config", _folder.FullName, "--BidEngine:UseModel=false", "--BidEngine:Notices:BaseUrl=" + BaseUrl,
            "--BidEngine:Notices:RefreshSeconds=3600", "--BidEngine:ReloadCampaigns=false");
        await host.InitializeAsync();
        return host;
    }

    private static string Request(int w = 300, int h = 250, string? user = null, string pmp = "")
    {
        var userPart = user is null ? "" : ",\"user\":{\"id\":\"" + user + "\"}";
        return "{\"id\":\"r\",\"at\":2,\"cur\":[\"USD\"],"
            + "\"imp\":[{\"id\":\"1\",\"banner\":{\"w\":" + w + ",\"h\":" + h + "}" + pmp + "}],"
            + "\"site\":{\"id\":\"s1\",\"domain\":\"news.example\",\"publisher\":{\"id\":\"p1\"}},"
            + "\"device\":{\"devicetype\":2,\"os\":\"Linux\",\"geo\":{\"country\":\"USA\"}}" + userPart + "}";
    }

    private sealed record Bid(string CampaignId, string Id, double Price, string Burl, string? DealId);

    /// <summary>The bid on the request, or null for a 204.</summary>
    private static async Task<Bid?> BidAsync(BidderHost host, string request)
    {
        using var response = await host.Client.SendAsync(BidRequests.Post(request));
        if (response.StatusCode == HttpStatusCode.NoContent)
        {
            return null;
        }

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var bid = doc.RootElement.GetProperty("seatbid")[0].GetProperty("bid")[0];
        return new Bid(
            bid.GetProperty("cid").GetString()!,
            bid.GetProperty("id").GetString()!,
            bid.GetProperty("price").GetDouble(),
            bid.GetProperty("burl").GetString()!,
            bid.TryGetProperty("dealid", out var deal) ? deal.GetString() : null);
    }

    /// <summary>The exchange calls the bid's burl with the clearing price in place of the macro.</summary>
    private static async Task BillAsync(BidderHost host, Bid bid, string price = "5")
    {
        using var response = await host.Client.GetAsync(bid.Burl[BaseUrl.Length..].Replace("${AUCTION_PRICE}", price, StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task StopsBiddingOnceBilledSpendPlusReservationsReachTheBudgetAndExpiredReservationsGiveItBack()
    {
        // 0.02 USD at 5 CPM: four impressions' worth.
        var clock = new ManualClock(Monday0630);
        await using var host = await StartAsync(clock, Campaign("budgeted", """{"budget":{"total":0.02},"pacing":"asap"}"""));

        var bids = new List<Bid>();
        for (var i = 0; i < 4; i++)
        {
            var bid = await BidAsync(host, Request());
            Assert.NotNull(bid);
            Assert.Equal(5, bid.Price);
            bids.Add(bid);
        }

        // Four reservations hold the whole budget: no fifth bid.
        Assert.Null(await BidAsync(host, Request()));

        // Two are billed at the bid price: spend 0.01 + reserved 0.01 is still the budget.
        await BillAsync(host, bids[0]);
        await BillAsync(host, bids[1]);
        Assert.Null(await BidAsync(host, Request()));
        var metrics = await host.Management.GetStringAsync("/metrics");
        Assert.Equal(0.01, PrometheusText.Value(metrics, "bidengine_campaign_spent_currency_units{campaign=\"budgeted\",period=\"total\"}"));
        Assert.Equal(0.01, PrometheusText.Value(metrics, "bidengine_campaign_reserved_currency_units{campaign=\"budgeted\"}"));
        Assert.Equal(2, PrometheusText.Value(metrics, "bidengine_billing_total{outcome=\"settled\"}"));
        Assert.InRange(PrometheusText.Value(metrics, "bidengine_candidates_skipped_total{reason=\"budget\"}"), 1, double.MaxValue);

        // The other two never get a notice. Before their time to live a sweep frees nothing ...
        var budgets = host.Services.GetRequiredService<BudgetService>();
        clock.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(0, budgets.SweepOnce());
        Assert.Null(await BidAsync(host, Request()));

        // ... after it, the sweep gives their 0.01 back: two more bids, then none.
        clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        Assert.Equal(2, budgets.SweepOnce());
        Assert.NotNull(await BidAsync(host, Request()));
        Assert.NotNull(await BidAsync(host, Request()));
        Assert.Null(await BidAsync(host, Request()));
        metrics = await host.Management.GetStringAsync("/metrics");
        Assert.Equal(2, PrometheusText.Value(metrics, "bidengine_reservations_expired_total"));
    }

    [Fact]
    public async Task FlightDatesAndDaypartingSwitchACampaignOnAndOff()
    {
        // "flighted" (300x250) runs on Tuesday 2 June UTC only; "dayparted" (728x90) from 09:00 to
        // 10:00 Berlin time on Mondays and Tuesdays, which is 07:00-08:00 UTC in June.
        var clock = new ManualClock(Monday0630);
        await using var host = await StartAsync(
            clock,
            Campaign("flighted", """{"flight":{"start":"2026-06-02T00:00:00Z","end":"2026-06-03T00:00:00Z"}}"""),
            Campaign("dayparted", """{"timeZone":"Europe/Berlin","dayparting":{"mon":[9],"tue":[9]}}""", w: 728, h: 90));

        async Task<(bool Flighted, bool Dayparted)> OnAsync() =>
            ((await BidAsync(host, Request(300, 250)))?.CampaignId == "flighted", (await BidAsync(host, Request(728, 90)))?.CampaignId == "dayparted");

        Assert.Equal((false, false), await OnAsync()); // Mon 08:30 Berlin, before the flight
        clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal((false, true), await OnAsync()); // Mon 09:30 Berlin
        clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal((false, false), await OnAsync()); // Mon 10:30 Berlin
        clock.Advance(TimeSpan.FromHours(16));
        Assert.Equal((true, false), await OnAsync()); // Tue 00:30 UTC: the flight has started
        clock.Advance(TimeSpan.FromHours(7));
        Assert.Equal((true, true), await OnAsync()); // Tue 07:30 UTC = 09:30 Berlin
        clock.Advance(TimeSpan.FromHours(17));
        Assert.Equal((false, false), await OnAsync()); // Wed 00:30 UTC: the flight is over, Wednesday has no hours
    }

    [Fact]
    public async Task TheImpressionPastTheCapForOneUserGetsNoBidWhileAnotherUserStillDoes()
    {
        var clock = new ManualClock(Monday0630);
        await using var host = await StartAsync(
            clock,
            Campaign("capped", """{"frequencyCap":{"impressions":2,"windowSeconds":3600,"unknownUsers":"skip"}}"""));

        // Alice sees the campaign twice (both billed); the third request for her gets no bid.
        for (var i = 0; i < 2; i++)
        {
            var bid = await BidAsync(host, Request(user: "alice"));
            Assert.NotNull(bid);
            await BillAsync(host, bid);
        }

        Assert.Null(await BidAsync(host, Request(user: "alice")));

        // Bob has seen nothing; a request naming no user is skipped, as the campaign asks.
        Assert.NotNull(await BidAsync(host, Request(user: "bob")));
        Assert.Null(await BidAsync(host, Request()));
        var metrics = await host.Management.GetStringAsync("/metrics");
        Assert.InRange(PrometheusText.Value(metrics, "bidengine_candidates_skipped_total{reason=\"frequency_cap\"}"), 2, double.MaxValue);

        // Counts are kept in 8 buckets of ceil(3600 / 7) = 515 s of wall-clock time: an impression
        // counts for at least the window and at most 8 × 515 = 4,120 s, depending on where in its
        // bucket it fell. Within the window Alice is still capped; after 4,120 s she may see it again.
        clock.Advance(TimeSpan.FromSeconds(3599));
        Assert.Null(await BidAsync(host, Request(user: "alice")));
        clock.Advance(TimeSpan.FromSeconds(521));
        Assert.NotNull(await BidAsync(host, Request(user: "alice")));
    }

    [Fact]
    public async Task DealsBidOnlyInTheirPrivateAuctionsAndCarryTheDealId()
    {
        // "dealer" bids only through deal-a (agreed floor 1 USD), above the open campaign's price.
        var clock = new ManualClock(Monday0630);
        await using var host = await StartAsync(
            clock,
            Campaign("open"),
            Campaign("dealer", """{"targeting":{"deals":[{"id":"deal-a","bidFloor":1}]}}""", cpm: 8));

        static string Pmp(int privateAuction, string deal) => $",\"pmp\":{{\"private_auction\":{privateAuction},\"deals\":[{deal}]}}";

        // An open auction without deals: only the open campaign, and no dealid.
        var open = await BidAsync(host, Request());
        Assert.Equal(("open", (string?)null), (open?.CampaignId, open?.DealId));

        // deal-a's private auction: the deal's campaign, with the deal's id.
        var dealt = await BidAsync(host, Request(pmp: Pmp(1, """{"id":"deal-a","bidfloor":2}""")));
        Assert.Equal(("dealer", "deal-a", 8.0), (dealt?.CampaignId, dealt?.DealId, dealt?.Price));

        // Another deal's private auction, deal-a for another seat, or a deal floor above the campaign's price: no bid.
        Assert.Null(await BidAsync(host, Request(pmp: Pmp(1, """{"id":"deal-b"}"""))));
        Assert.Null(await BidAsync(host, Request(pmp: Pmp(1, """{"id":"deal-a","wseat":["another-seat"]}"""))));
        Assert.Null(await BidAsync(host, Request(pmp: Pmp(1, """{"id":"deal-a","bidfloor":9}"""))));

        // An open auction that also offers deal-a: both compete, the deal's campaign wins through it.
        var both = await BidAsync(host, Request(pmp: Pmp(0, """{"id":"deal-a"}""")));
        Assert.Equal(("dealer", "deal-a"), (both?.CampaignId, both?.DealId));
    }

    [Fact]
    public async Task ABadCampaignFileIsRefusedNamingCampaignAndFieldAndTheLastGoodCampaignsKeepBidding()
    {
        var clock = new ManualClock(Monday0630);
        await using var host = await StartAsync(clock, Campaign("good", """{"budget":{"daily":100}}"""));
        Assert.Equal("good", (await BidAsync(host, Request()))?.CampaignId);

        WriteCampaigns(Campaign("good", """{"budget":{"daily":100}}""", w: 728, h: 90), Campaign("broken", """{"budget":{"daily":-5}}"""));
        var reloader = host.Services.GetRequiredService<CampaignReloader>();
        Assert.False(reloader.Reload(CampaignsFile));

        Assert.Contains("campaign 'broken'", reloader.LastRefusal);
        Assert.Contains("budget.daily", reloader.LastRefusal);
        Assert.Equal(1, reloader.Refusals);
        Assert.Equal("good", (await BidAsync(host, Request()))?.CampaignId);
        Assert.Null(await BidAsync(host, Request(728, 90)));

        // A good file is taken: the campaign's 728x90 now bids, its 300x250 is gone.
        WriteCampaigns(Campaign("good", """{"budget":{"daily":100}}""", w: 728, h: 90));
        Assert.True(reloader.Reload(CampaignsFile));
        Assert.Null(reloader.LastRefusal);
        Assert.Equal("good", (await BidAsync(host, Request(728, 90)))?.CampaignId);
        Assert.Null(await BidAsync(host, Request()));
    }
}
