using BidEngine.Core.Events;
using BidEngine.Core.Traffic;
using Microsoft.Extensions.DependencyInjection;
using static BidEngine.Tests.Shared.TrafficFixtures;

namespace BidEngine.Server.Tests.Traffic;

/// <summary>
/// The supply checks over real HTTP on the fixture files: the bidder's and an exchange's chain policy,
/// sellers.json with each seller type, ads.txt and app-ads.txt with each relationship, the policies for
/// missing files, and a folder reloaded while the bidder runs.
/// </summary>
public sealed class SupplyOverHttpTests
{
    private const string Exchange = "/openrtb2/exchx/bid";

    private static string Chain(bool complete, params (string Asi, string Sid)[] nodes) =>
        "{\"complete\":" + (complete ? 1 : 0) + ",\"ver\":\"1.0\",\"nodes\":[" + string.Join(',', nodes.Select(n => $"{{\"asi\":\"{n.Asi}\",\"sid\":\"{n.Sid}\",\"hp\":1}}")) + "]}";

    [Fact]
    public async Task TheBiddersPolicyAndAnExchangesOwnPolicyEachRefuseWithNbr502()
    {
        await using var host = await TrafficHost.StartAsync("--BidEngine:Supply:SupplyChain=On", "--BidEngine:Supply:Policy:RequireChain=true",
            "--BidEngine:Exchanges:exchx:SupplyChain:DirectOnly=true");

        // The bidder-wide route: a chain of any shape, but a chain.
        Assert.Equal((false, 502), await host.SendAsync(Request("no-chain", schain: null)));
        Assert.Equal((true, 0), await host.SendAsync(Request("resold", schain: ResoldChain)));
        Assert.Equal((true, 0), await host.SendAsync(Request("resold-25", schain: ResoldChain, schain25: true)));

        // The exchange's own policy: direct sellers only.
        Assert.Equal((false, 502), await host.SendAsync(Request("x-resold", schain: ResoldChain), Exchange));
        Assert.Equal((false, 502), await host.SendAsync(Request("x-incomplete", schain: Chain(false, ("exchange.example", "pub-news"))), Exchange));
        Assert.Equal((false, 502), await host.SendAsync(Request("x-malformed", schain: "{\"complete\":1,\"nodes\":[{\"asi\":\"exchange.example\"}]}"), Exchange));
        Assert.Equal((true, 0), await host.SendAsync(Request("x-direct"), Exchange));

        var metrics = await host.MetricsAsync();
        Assert.Contains("bidengine_traffic_refused_total{check=\"supply_chain\",reason=\"schain_missing\",mode=\"on\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("bidengine_traffic_refused_total{check=\"supply_chain\",reason=\"schain_not_direct\",mode=\"on\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("bidengine_traffic_refused_total{check=\"supply_chain\",reason=\"schain_incomplete\",mode=\"on\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("bidengine_traffic_refused_total{check=\"supply_chain\",reason=\"schain_malformed\",mode=\"on\"} 1", metrics, StringComparison.Ordinal);

        var log = await host.DecisionsAsync();
        Assert.Equal(TrafficReason.SchainNotDirect, Assert.IsType<NoBidEvent>(log["x-resold"]).TrafficReason);
    }

    [Fact]
    public async Task EveryNodeMustBeASellerOfItsSystemOfTheTypeItsPlaceNeeds()
    {
        await using var host = await TrafficHost.StartAsync("--BidEngine:Supply:Sellers=On", "--BidEngine:Supply:WhenSellersFileMissing=NoBid", "--BidEngine:Supply:RefuseConfidentialSellers=true");
        Assert.Equal((true, 0), await host.SendAsync(Request("direct")));
        Assert.Equal((true, 0), await host.SendAsync(Request("resold", schain: ResoldChain)));
        Assert.Equal((false, 503), await host.SendAsync(Request("unknown", schain: Chain(true, ("exchange.example", "nobody")))));
        Assert.Equal((false, 503), await host.SendAsync(Request("intermediary-first", schain: Chain(true, ("exchange.example", "ssp-resale")))));
        Assert.Equal((false, 503), await host.SendAsync(Request("publisher-later", schain: Chain(true, ("ssp.example", "news-at-ssp"), ("exchange.example", "pub-news")))));
        Assert.Equal((false, 503), await host.SendAsync(Request("confidential", schain: Chain(true, ("exchange.example", "hidden-1")))));
        Assert.Equal((false, 503), await host.SendAsync(Request("no-file", schain: Chain(true, ("nowhere.example", "1")))));

        // Without a chain, through the exchange's route: its publisher id must be one of the exchange's sellers.
        Assert.Equal((true, 0), await host.SendAsync(Request("x-no-chain", schain: null), Exchange));
        Assert.Equal((false, 503), await host.SendAsync(Request("x-stranger", schain: null, site: "\"domain\":\"news.example\",\"publisher\":{\"id\":\"stranger\"}"), Exchange));

        var metrics = await host.MetricsAsync();
        Assert.Contains("bidengine_traffic_refused_total{check=\"sellers\",reason=\"seller_not_listed\",mode=\"on\"} 2", metrics, StringComparison.Ordinal);
        Assert.Contains("bidengine_traffic_refused_total{check=\"sellers\",reason=\"seller_type_mismatch\",mode=\"on\"} 2", metrics, StringComparison.Ordinal);
        Assert.Contains("bidengine_traffic_refused_total{check=\"sellers\",reason=\"seller_confidential\",mode=\"on\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("bidengine_traffic_refused_total{check=\"sellers\",reason=\"sellers_file_missing\",mode=\"on\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("bidengine_traffic_list_entries{list=\"sellers\"} 9", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSellerTheExchangeNamesMustBeInTheSitesAdsTxtOrTheAppsAppAdsTxtWithTheRightRelationship()
    {
        await using var host = await TrafficHost.StartAsync("--BidEngine:Supply:AdsTxt=On", "--BidEngine:Supply:WhenAdsTxtMissing=NoBid");
        Assert.Equal((true, 0), await host.SendAsync(Request("direct")));
        Assert.Equal((true, 0), await host.SendAsync(Request("resold", schain: ResoldChain)));
        Assert.Equal((true, 0), await host.SendAsync(Request("parent-domain", site: "\"domain\":\"www.news.example\",\"publisher\":{\"id\":\"pub-news\"}")));
        Assert.Equal((true, 0), await host.SendAsync(Request("app", app: "\"bundle\":\"com.example.game\",\"publisher\":{\"id\":\"pub-app\"}", schain: Chain(true, ("exchange.example", "pub-app")))));
        Assert.Equal((true, 0), await host.SendAsync(Request("x-no-chain", schain: null), Exchange));

        Assert.Equal((false, 7), await host.SendAsync(Request("only-reseller-here", site: "\"domain\":\"sport.news.example\",\"publisher\":{\"id\":\"pub-news\"}")));
        Assert.Equal((false, 7), await host.SendAsync(Request("direct-by-place", schain: Chain(true, ("other.example", "resold-1")))));
        Assert.Equal((false, 7), await host.SendAsync(Request("not-listed", schain: Chain(true, ("exchange.example", "nobody")))));
        Assert.Equal((false, 7), await host.SendAsync(Request("no-file", site: "\"domain\":\"elsewhere.example\",\"publisher\":{\"id\":\"pub-news\"}")));
        Assert.Equal((false, 7), await host.SendAsync(Request("no-app-file", app: "\"bundle\":\"com.example.other\"")));
        Assert.Equal((false, 7), await host.SendAsync(Request("no-seller", schain: null)));

        var metrics = await host.MetricsAsync();
        Assert.Contains("bidengine_traffic_refused_total{check=\"ads_txt\",reason=\"ads_txt_wrong_relationship\",mode=\"on\"} 2", metrics, StringComparison.Ordinal);
        Assert.Contains("bidengine_traffic_refused_total{check=\"ads_txt\",reason=\"ads_txt_not_listed\",mode=\"on\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("bidengine_traffic_refused_total{check=\"ads_txt\",reason=\"ads_txt_file_missing\",mode=\"on\"} 2", metrics, StringComparison.Ordinal);
        Assert.Contains("bidengine_traffic_refused_total{check=\"ads_txt\",reason=\"ads_txt_no_seller\",mode=\"on\"} 1", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingFilesAreLetThroughByDefault()
    {
        await using var host = await TrafficHost.StartAsync("--BidEngine:Supply:AdsTxt=On", "--BidEngine:Supply:Sellers=On");
        Assert.Equal((true, 0), await host.SendAsync(Request("no-file", site: "\"domain\":\"elsewhere.example\",\"publisher\":{\"id\":\"pub-news\"}", schain: Chain(true, ("nowhere.example", "1")))));
        Assert.Equal((true, 0), await host.SendAsync(Request("no-seller", schain: null)));
    }

    [Fact]
    public async Task AChangedFolderIsReloadedAndAFileThatDoesNotLoadKeepsTheListsInUse()
    {
        await using var host = await TrafficHost.StartAsync("--BidEngine:Supply:AdsTxt=On", "--BidEngine:Supply:Sellers=On");
        var newcomer = Request("newcomer", schain: Chain(true, ("exchange.example", "newcomer")));
        Assert.Equal((false, 503), await host.SendAsync(newcomer));

        // The operator's job writes the new files; the bidder picks them up without a restart.
        var sellers = Path.Combine(host.Supply, "sellers", "exchange.example.json");
        await File.WriteAllTextAsync(sellers, (await File.ReadAllTextAsync(sellers)).Replace("\"sellers\": [", "\"sellers\": [ { \"seller_id\": \"newcomer\", \"seller_type\": \"PUBLISHER\", \"name\": \"New\" },", StringComparison.Ordinal));
        await File.AppendAllTextAsync(Path.Combine(host.Supply, "ads-txt", "news.example.txt"), "exchange.example, newcomer, DIRECT\n");
        var reloader = host.Host.Services.GetRequiredService<Hosting.TrafficFilesReloader>();
        await WaitAsync(() => reloader.Loaded >= 1 && host.Host.Services.GetRequiredService<TrafficFilter>().Sellers.Sellers == 10);
        Assert.Equal((true, 0), await WaitForAsync(host, newcomer, (true, 0)));

        // A file that does not parse: refused, the lists in use stay.
        await File.WriteAllTextAsync(Path.Combine(host.Supply, "sellers", "broken.example.json"), "{ not json");
        await WaitAsync(() => reloader.Refused >= 1);
        Assert.Contains("broken.example.json", reloader.LastRefusal, StringComparison.Ordinal);
        Assert.Equal((true, 0), await host.SendAsync(newcomer));
        Assert.Contains("bidengine_traffic_reloads_total{outcome=\"refused\"}", await host.MetricsAsync(), StringComparison.Ordinal);
    }

    private static async Task WaitAsync(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(condition(), "the reload did not happen within 10 s");
    }

    private static async Task<(bool, int)> WaitForAsync(TrafficHost host, string json, (bool, int) expected)
    {
        var answer = await host.SendAsync(json);
        for (var i = 0; i < 100 && answer != expected; i++)
        {
            await Task.Delay(50);
            answer = await host.SendAsync(json);
        }

        return answer;
    }
}
