using System.Net;
using System.Text.Json;

namespace BidEngine.Server.Tests.Status;

/// <summary>
/// <c>/status/data</c> over real HTTP on the management listener: the fields docs/status-page.md names,
/// series that line up, wins and losses from notices, and the page's files asking for nothing but
/// relative URLs of the bidder's own.
/// </summary>
public sealed class StatusDataTests : IClassFixture<StatusDataTests.NoticedBidder>
{
    private static readonly string[] SeriesColumns =
    [
        "requestsPerSecond", "bidsPerSecond", "p50Ms", "p99Ms", "p999Ms", "modelShare", "heuristicShare", "noTimeShare", "shedShare",
        "noCandidatesShare", "latePerSecond", "lateShare", "billedPerSecond", "skippedPerSecond", "cappedPerSecond",
    ];

    private static readonly string[] CampaignFields =
    [
        "id", "currency", "pacing", "participation", "spentToday", "dailyBudget", "targetByNow", "spentTotal", "totalBudget", "reserved",
        "wins", "losses", "winRate", "impressions", "clicks", "ctr", "cappedShare",
    ];

    private readonly BidderHost _host;

    public StatusDataTests(NoticedBidder bidder) => _host = bidder.Host;

    [Fact]
    public async Task StatusDataIsJsonWithEveryDocumentedFieldAndSeriesThatLineUp()
    {
        for (var i = 0; i < 50; i++)
        {
            using var bid = await _host.Client.SendAsync(BidRequests.Post(BidRequests.Banner));
            Assert.Equal(HttpStatusCode.OK, bid.StatusCode);
        }

        // The sampler takes a second to see them.
        using var doc = await WaitForDataAsync(d => d.RootElement.GetProperty("series").GetProperty("requestsPerSecond").EnumerateArray().Any(v => v.ValueKind == JsonValueKind.Number && v.GetDouble() > 0));
        var root = doc.RootElement;

        Assert.Equal(
            ["version", "now", "startedAt", "uptimeSeconds", "readiness", "series", "totals", "campaigns", "exchanges", "model", "state"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("ready", root.GetProperty("readiness").GetString());
        var series = root.GetProperty("series");
        var seconds = series.GetProperty("t").GetArrayLength();
        Assert.InRange(seconds, 1, series.GetProperty("capacity").GetInt32());
        foreach (var column in SeriesColumns)
        {
            Assert.True(series.GetProperty(column).GetArrayLength() == seconds, $"series.{column} has not one value a second");
        }

        Assert.True(root.GetProperty("totals").GetProperty("requests").GetInt64() >= 50);
        var campaigns = root.GetProperty("campaigns");
        Assert.Equal(5, campaigns.GetProperty("count").GetInt32());
        foreach (var campaign in campaigns.GetProperty("items").EnumerateArray())
        {
            Assert.Equal(CampaignFields, campaign.EnumerateObject().Select(p => p.Name));
            Assert.Equal(JsonValueKind.Null, campaign.GetProperty("cappedShare").ValueKind);
        }

        var model = root.GetProperty("model");
        Assert.True(model.GetProperty("inUse").GetBoolean());
        Assert.Equal(["model", "heuristic"], model.GetProperty("calibration").EnumerateArray().Select(c => c.GetProperty("scorer").GetString()));
        Assert.Equal("embedded", root.GetProperty("state").GetProperty("mode").GetString());
    }

    [Fact]
    public async Task SinceLeavesOutTheSamplesUpToThatSecond()
    {
        using var all = await WaitForDataAsync(d => d.RootElement.GetProperty("series").GetProperty("t").GetArrayLength() >= 2);
        var t = all.RootElement.GetProperty("series").GetProperty("t").EnumerateArray().Select(v => v.GetInt64()).ToArray();

        using var newer = JsonDocument.Parse(await _host.Management.GetStringAsync($"/status/data?since={t[^2]}"));

        var after = newer.RootElement.GetProperty("series").GetProperty("t").EnumerateArray().Select(v => v.GetInt64()).ToArray();
        Assert.NotEmpty(after);
        Assert.All(after, second => Assert.True(second > t[^2]));
        Assert.Equal(after.Length, newer.RootElement.GetProperty("series").GetProperty("p99Ms").GetArrayLength());
    }

    [Fact]
    public async Task ACampaignsWinRateIsItsWinsOverWinsAndLossesFromNotices()
    {
        var billed = await NoticeCalls.BidAsync(_host);
        var won = await NoticeCalls.BidAsync(_host);
        var lost = await NoticeCalls.BidAsync(_host);
        var before = await CampaignsAsync();

        // One bid billed (its win notice after its bill: still one win), one won without a bill, one lost.
        Assert.Equal(HttpStatusCode.NoContent, await NoticeCalls.CallAsync(_host, billed.Burl, price: "1"));
        Assert.Equal(HttpStatusCode.NoContent, await NoticeCalls.CallAsync(_host, won.Nurl, price: "1"));
        Assert.Equal(HttpStatusCode.NoContent, await NoticeCalls.CallAsync(_host, billed.Nurl, price: "1"));
        Assert.Equal(HttpStatusCode.NoContent, await NoticeCalls.CallAsync(_host, lost.Lurl));

        var after = await CampaignsAsync();
        foreach (var id in new[] { billed.CampaignId, won.CampaignId, lost.CampaignId }.Distinct())
        {
            var wins = after[id].GetProperty("wins").GetInt64();
            var losses = after[id].GetProperty("losses").GetInt64();
            var expectedWins = new[] { billed, won }.Count(b => b.CampaignId == id);
            var expectedLosses = lost.CampaignId == id ? 1 : 0;
            Assert.Equal(
                (before[id].GetProperty("wins").GetInt64() + expectedWins, before[id].GetProperty("losses").GetInt64() + expectedLosses),
                (wins, losses));
            Assert.Equal(Math.Round((double)wins / (wins + losses), 4), after[id].GetProperty("winRate").GetDouble());
        }

        var spent = after[billed.CampaignId].GetProperty("spentToday").GetDecimal() - before[billed.CampaignId].GetProperty("spentToday").GetDecimal();
        Assert.Equal(0.001m, spent);
    }

    [Fact]
    public async Task ThePageAndItsFilesAreServedFromTheBidderAndAskOnlyForRelativeUrls()
    {
        var files = new Dictionary<string, string>
        {
            ["/status"] = "text/html",
            ["/status/status.css"] = "text/css",
            ["/status/status.js"] = "text/javascript",
        };
        foreach (var (path, type) in files)
        {
            using var response = await _host.Management.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(type, response.Content.Headers.ContentType!.MediaType);
            var text = await response.Content.ReadAsStringAsync();

            // No CDN, no font service, no absolute address: the only URL with a scheme is SVG's namespace name.
            var absolute = System.Text.RegularExpressions.Regex.Matches(text, "(https?:)?//[a-z0-9.-]+\\.[a-z]{2,}[^\\s'\"]*")
                .Select(m => m.Value).Where(u => u != "http://www.w3.org/2000/svg").ToList();
            Assert.True(absolute.Count == 0, $"{path} names {string.Join(", ", absolute)}");
            Assert.DoesNotContain("@import", text, StringComparison.Ordinal);
        }

        var script = await _host.Management.GetStringAsync("/status/status.js");
        Assert.Contains("fetch('status/data'", script, StringComparison.Ordinal);
        var page = await _host.Management.GetStringAsync("/status");
        Assert.Contains("href=\"status/status.css\"", page, StringComparison.Ordinal);
        Assert.Contains("src=\"status/status.js\"", page, StringComparison.Ordinal);
    }

    private async Task<Dictionary<string, JsonElement>> CampaignsAsync()
    {
        using var doc = JsonDocument.Parse(await _host.Management.GetStringAsync("/status/data"));
        return doc.RootElement.GetProperty("campaigns").GetProperty("items").EnumerateArray().ToDictionary(c => c.GetProperty("id").GetString()!, c => c.Clone());
    }

    private async Task<JsonDocument> WaitForDataAsync(Func<JsonDocument, bool> ready)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var doc = JsonDocument.Parse(await _host.Management.GetStringAsync("/status/data"));
            if (ready(doc))
            {
                return doc;
            }

            doc.Dispose();
            Assert.True(DateTime.UtcNow < until, "/status/data did not show the traffic within 20 s");
            await Task.Delay(200);
        }
    }

    /// <summary>A bidder whose bids carry notice URLs, shared by the tests of this class.</summary>
    public sealed class NoticedBidder : IAsyncLifetime
    {
        public BidderHost Host { get; } = BidderHost.With($"--BidEngine:Notices:BaseUrl={NoticeCalls.BaseUrl}");

        public Task InitializeAsync() => Host.InitializeAsync();

        public Task DisposeAsync() => Host.DisposeAsync();
    }
}
