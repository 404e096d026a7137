using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using BidEngine.Core.Campaigns;
using static BidEngine.Server.Tests.NoticeCalls;

namespace BidEngine.Server.Tests.Metrics;

/// <summary>
/// The series the alert rules need that /metrics did not have: each scorer's predicted clicks
/// against its clicks (fed by billing and click notices, from the CTR signed into each bid), and
/// each campaign's budget beside its spend (read at the scrape).
/// </summary>
public sealed class CalibrationAndBudgetMetricsTests : IAsyncLifetime
{
    private const double ValuePerClick = 10;

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("bidengine-calibration-");
    private BidderHost _host = null!;

    public async Task InitializeAsync()
    {
        // Bids at CTR × 10 × 1000 with no cap in reach, so that the price tells the CTR the bid was made with.
        var campaigns = Path.Combine(_folder.FullName, "campaigns.json");
        await File.WriteAllTextAsync(campaigns, $$"""
            {"campaigns":[
              {"id":"budgeted","adomain":["budgeted.example"],"cat":["IAB1"],"valuePerClick":{{ValuePerClick}},"maxBidCpm":1000,"ctrPrior":0.004,
               "budget":{"total":10,"daily":2},"pacing":"asap",
               "creatives":[{"id":"b-300x250","kind":"banner","w":300,"h":250,"adm":"<a href=\"{{Creative.ClickUrlMacro}}\"><img src=\"https://budgeted.example/a.png\"></a>"}]},
              {"id":"open","adomain":["open.example"],"cat":["IAB1"],"valuePerClick":1,"maxBidCpm":5,"ctrPrior":0.004,
               "creatives":[{"id":"o-728x90","kind":"banner","w":728,"h":90,"adm":"<img src=\"https://open.example/a.png\">"}]}
            ]}
            """);
        _host = BidderHost.With(
            "--BidEngine:CampaignsPath=" + campaigns, "--BidEngine:ReloadCampaigns=false",
            "--BidEngine:Notices:BaseUrl=" + BaseUrl, "--BidEngine:Http:DebugPathHeader=true");
        await _host.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _folder.Delete(recursive: true);
    }

    [Fact]
    public async Task ABilledImpressionAndItsClickCountForTheScorerThatPricedTheBidOnce()
    {
        using var response = await _host.Client.SendAsync(BidRequests.Post(BidRequests.Banner));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var scorer = Assert.Single(response.Headers.GetValues("x-bidengine-path"));
        Assert.Contains(scorer, (string[])["model", "heuristic"]);
        var other = scorer == "model" ? "heuristic" : "model";
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var bid = doc.RootElement.GetProperty("seatbid")[0].GetProperty("bid")[0];
        var price = bid.GetProperty("price").GetDouble();
        var burl = bid.GetProperty("burl").GetString()!;
        var click = Href().Match(bid.GetProperty("adm").GetString()!).Groups[1].Value;
        var bill = (price / 2).ToString("R", CultureInfo.InvariantCulture);

        // Twice each: a replayed bill or click counts once.
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(HttpStatusCode.NoContent, await CallAsync(_host, burl, bill));
            Assert.Equal(HttpStatusCode.NoContent, await CallAsync(_host, click));
        }

        var metrics = await _host.Management.GetStringAsync("/metrics");
        Assert.Equal(1, Sample(metrics, $"bidengine_calibration_impressions_total{{scorer=\"{scorer}\"}}"));
        Assert.Equal(1, Sample(metrics, $"bidengine_calibration_clicks_total{{scorer=\"{scorer}\"}}"));
        var predicted = Sample(metrics, $"bidengine_calibration_predicted_clicks_total{{scorer=\"{scorer}\"}}");
        // The price is rounded to 0.0001 CPM; the signed value is not.
        Assert.InRange(predicted, (price - 0.00005) / (ValuePerClick * 1000), (price + 0.00005) / (ValuePerClick * 1000));
        Assert.Equal(0, Sample(metrics, $"bidengine_calibration_impressions_total{{scorer=\"{other}\"}}"));
        Assert.Equal(0, Sample(metrics, $"bidengine_calibration_predicted_clicks_total{{scorer=\"{other}\"}}"));
        Assert.Equal(0, Sample(metrics, $"bidengine_calibration_clicks_total{{scorer=\"{other}\"}}"));
    }

    [Fact]
    public async Task ACampaignsBudgetStandsBesideItsSpendAndACampaignWithoutOneHasNone()
    {
        var metrics = await _host.Management.GetStringAsync("/metrics");

        Assert.Equal(10, Sample(metrics, "bidengine_campaign_budget_currency_units{campaign=\"budgeted\",period=\"total\"}"));
        Assert.Equal(2, Sample(metrics, "bidengine_campaign_budget_currency_units{campaign=\"budgeted\",period=\"today\"}"));
        Assert.Equal(0, Sample(metrics, "bidengine_campaign_spent_currency_units{campaign=\"budgeted\",period=\"total\"}"));
        Assert.DoesNotContain("bidengine_campaign_budget_currency_units{campaign=\"open\"", metrics, StringComparison.Ordinal);
    }

    /// <summary>The value of the sample line that is exactly <paramref name="series"/>; fails if there is none.</summary>
    private static double Sample(string metrics, string series)
    {
        var match = Regex.Match(metrics, "(?m)^" + Regex.Escape(series) + " (\\S+)$");
        Assert.True(match.Success, $"{series} is not at /metrics");
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }
}
