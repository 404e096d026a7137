using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using BidEngine.Core.Pricing;
using BidEngine.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace BidEngine.Server.Tests;

/// <summary>
/// The server's one shading instance is the one the pipeline asks: what the notices teach it moves
/// first-price bids over HTTP, leaves second-price bids alone, and shows at <c>/metrics</c>. One
/// campaign in a temporary config folder, priced by its prior (0.001 × 2.00 per click: 2.00 CPM)
/// far under its cap, so every price is the value times the factor.
/// </summary>
public sealed class ShadingOverHttpTests : IAsyncLifetime
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("bidengine-shading-");
    private BidderHost _host = null!;

    public async Task InitializeAsync()
    {
        File.Copy(Path.Combine(AppContext.BaseDirectory, "config", "bidengine.json"), Path.Combine(_folder.FullName, "bidengine.json"), overwrite: true);
        var campaign = new JsonObject
        {
            ["id"] = "cmp-shaded",
            ["adomain"] = new JsonArray("shaded.example"),
            ["cat"] = new JsonArray("IAB1"),
            ["valuePerClick"] = 2.0,
            ["maxBidCpm"] = 50,
            ["ctrPrior"] = 0.001,
            ["creatives"] = new JsonArray(new JsonObject { ["id"] = "cr", ["kind"] = "banner", ["w"] = 300, ["h"] = 250, ["adm"] = "<img src=\"https://shaded.example/a.png\">" }),
        };
        File.WriteAllText(Path.Combine(_folder.FullName, "campaigns.json"), new JsonObject { ["campaigns"] = new JsonArray(campaign) }.ToJsonString());
        _host = BidderHost.With("--config", _folder.FullName, "--BidEngine:UseModel=false", "--BidEngine:ReloadCampaigns=false");
        await _host.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _folder.Delete(recursive: true);
    }

    private static string Request(int auctionType) => BidRequests.Banner.Replace("\"tmax\":200", $"\"tmax\":200,\"at\":{auctionType}", StringComparison.Ordinal);

    private async Task<(double Price, string Campaign)> BidAsync(int auctionType)
    {
        using var response = await _host.Client.SendAsync(BidRequests.Post(Request(auctionType)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var bid = doc.RootElement.GetProperty("seatbid")[0].GetProperty("bid")[0];
        return (bid.GetProperty("price").GetDouble(), bid.GetProperty("cid").GetString()!);
    }

    [Fact]
    public async Task OutcomesToldToTheServersShadingMoveItsFirstPriceBids()
    {
        var shading = _host.Services.GetRequiredService<IBidShading>();
        Assert.Same(_host.Services.GetRequiredService<LearnedShading>(), shading);
        var (secondPrice, id) = await BidAsync(auctionType: 2);
        var (firstPrice, firstId) = await BidAsync(auctionType: 1);
        Assert.Equal("cmp-shaded", id);
        Assert.Equal(id, firstId);
        Assert.Equal(Math.Round(secondPrice * 0.85, 4), firstPrice, 4);

        // The exchange says the bid had to beat 0.93 of its value every time: the factor walks up to 0.93.
        Assert.True(_host.Services.GetRequiredService<CampaignStore>().Current.TryGetCampaign(id, out var campaign));
        for (var i = 0; i < 400; i++)
        {
            shading.ObserveWin(campaign, 1.9, 2.0, 1.86);
        }

        Assert.Equal(0.93, ((LearnedShading)shading).LearnedFactor(campaign)!.Value, 9);
        Assert.Equal(Math.Round(secondPrice * 0.93, 4), (await BidAsync(auctionType: 1)).Price, 4);
        Assert.Equal(secondPrice, (await BidAsync(auctionType: 2)).Price, 4);

        var metrics = await _host.Management.GetStringAsync("/metrics");
        Assert.Equal(1, PrometheusText.Value(metrics, "bidengine_shading_campaigns_tracked"));
        Assert.Equal(1, PrometheusText.Value(metrics, "bidengine_shading_campaigns_learning"));
        Assert.Equal(0.93, PrometheusText.Value(metrics, "bidengine_shading_factor_mean"), 9);
        Assert.Equal(400, PrometheusText.Value(metrics, "bidengine_shading_outcomes_total{kind=\"exact\"}"));
    }
}
