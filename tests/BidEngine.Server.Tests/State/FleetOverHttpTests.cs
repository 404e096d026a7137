using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BidEngine.State.Redis.Tests.Fixtures;

namespace BidEngine.Server.Tests.State;

/// <summary>
/// Two real bidder processes sharing one redis-server, as a fleet behind a load balancer: bids on
/// both never hold more than the budget, a bill sent to the node that did not bid is taken, and a
/// bill replayed to the other node counts once.
/// </summary>
public sealed class FleetOverHttpTests : IAsyncLifetime
{
    private const string BaseUrl = "https://bidder.example.com";
    private readonly RedisServer _store = new();
    private readonly DirectoryInfo _config = Directory.CreateTempSubdirectory("bidengine-fleet-config-");
    private readonly string _key = Convert.ToBase64String(Enumerable.Range(7, 32).Select(i => (byte)i).ToArray());

    public async Task InitializeAsync()
    {
        await _store.InitializeAsync();
        File.Copy(Path.Combine(AppContext.BaseDirectory, "config", "bidengine.json"), Path.Combine(_config.FullName, "bidengine.json"));
        var campaign = new JsonObject
        {
            ["id"] = "budgeted",
            ["budget"] = new JsonObject { ["total"] = 0.02 },
            ["pacing"] = "asap",
            ["adomain"] = new JsonArray("budgeted.example"),
            ["cat"] = new JsonArray("IAB1"),
            ["valuePerClick"] = 10,
            ["maxBidCpm"] = 5,
            ["ctrPrior"] = 0.5,
            ["creatives"] = new JsonArray(new JsonObject { ["id"] = "b-300x250", ["kind"] = "banner", ["w"] = 300, ["h"] = 250, ["adm"] = "<img src=\"https://budgeted.example/a.png\">" }),
        };
        File.WriteAllText(Path.Combine(_config.FullName, "campaigns.json"), new JsonObject { ["campaigns"] = new JsonArray(campaign) }.ToJsonString());
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        _config.Delete(recursive: true);
    }

    [Fact]
    public async Task TwoNodesHoldAtMostTheBudgetAndABillAtEitherNodeCountsOnce()
    {
        var (a, httpA) = await StartAsync();
        var (b, httpB) = await StartAsync();
        await using var nodeA = a;
        await using var nodeB = b;
        using var clientA = httpA;
        using var clientB = httpB;

        // 0.02 at 5 CPM: four impressions in all, whichever node bids. Leases arrive within the loop's interval.
        var bids = new List<(string Burl, HttpClient Node)>();
        var until = DateTime.UtcNow.AddSeconds(20);
        for (var i = 0; DateTime.UtcNow < until && bids.Count < 6; i++)
        {
            var node = i % 2 == 0 ? clientA : clientB;
            if (await BidAsync(node) is { } burl)
            {
                bids.Add((burl, node));
            }
            else
            {
                await Task.Delay(50);
            }
        }

        Assert.InRange(bids.Count, 1, 4);
        foreach (var (burl, node) in bids)
        {
            var other = ReferenceEquals(node, clientA) ? clientB : clientA;
            Assert.Equal(HttpStatusCode.NoContent, await BillAsync(other, burl));
            Assert.Equal(HttpStatusCode.NoContent, await BillAsync(node, burl)); // the replay, at the node that bid
        }

        Assert.Equal(bids.Count * 5_000_000L, (long)_store.Db.HashGet("be:b:budgeted", "spent"));
    }

    private async Task<(ServerProcess Process, HttpClient Http)> StartAsync()
    {
        var port = ServerProcess.FreeLoopbackPort();
        var server = ServerProcess.Start(
        [
            "--urls", $"http://127.0.0.1:{port}", "--config", _config.FullName, "--BidEngine:ReloadCampaigns=false",
            "--BidEngine:Notices:BaseUrl=" + BaseUrl, "--BidEngine:Notices:SigningKey=" + _key, "--BidEngine:State:Redis=" + _store.Configuration,
        ]);
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        for (var i = 0; i < 600; i++)
        {
            try
            {
                using var ready = await http.GetAsync("/readyz");
                if (ready.StatusCode == HttpStatusCode.OK)
                {
                    return (server, http);
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        throw new Xunit.Sdk.XunitException("The bidder did not turn ready: " + server.Output);
    }

    private static async Task<string?> BidAsync(HttpClient http)
    {
        const string request = "{\"id\":\"r\",\"at\":2,\"cur\":[\"USD\"],\"imp\":[{\"id\":\"1\",\"banner\":{\"w\":300,\"h\":250}}],"
            + "\"site\":{\"id\":\"s1\",\"domain\":\"news.example\",\"publisher\":{\"id\":\"p1\"}},\"device\":{\"devicetype\":2,\"os\":\"Linux\",\"geo\":{\"country\":\"USA\"}}}";
        using var response = await http.PostAsync("/openrtb2/bid", new StringContent(request, Encoding.UTF8, "application/json"));
        if (response.StatusCode == HttpStatusCode.NoContent)
        {
            return null;
        }

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("seatbid")[0].GetProperty("bid")[0].GetProperty("burl").GetString();
    }

    private static async Task<HttpStatusCode> BillAsync(HttpClient http, string burl)
    {
        using var response = await http.GetAsync(burl[BaseUrl.Length..].Replace("${AUCTION_PRICE}", "5", StringComparison.Ordinal).Replace("${AUCTION_CURRENCY}", "USD", StringComparison.Ordinal));
        return response.StatusCode;
    }
}
