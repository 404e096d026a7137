using System.Text;
using BidEngine.Core.Campaigns;
using BidEngine.Core.Candidates;
using BidEngine.OpenRtb.Parsing;
using BidEngine.OpenRtb.Request;
using static BidEngine.Core.Tests.TestCampaigns;

namespace BidEngine.Core.Tests;

public sealed class CandidateFinderTests
{
    private static List<Candidate> Find(string json, CampaignSnapshot snapshot, int max = 128, int rotation = 0)
    {
        var request = new BidRequest();
        var result = BidRequestParser.Parse(Encoding.UTF8.GetBytes(json), request);
        Assert.True(result.IsSuccess, result.Message);
        var list = new List<Candidate>();
        CandidateFinder.Find(request, snapshot, list, max, rotation: rotation);
        return list;
    }

    private static Campaign WithRules(string id, string rules, int w = 300, int h = 250)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(rules);
        return new Campaign(id, [id + ".example"], ["IAB1"], 1, 10, 0.002, Targeting.Any, [Banner(id + "-cr", w, h)], "seat1", null, CampaignRulesReader.Read(doc.RootElement, id));
    }

    private static readonly CampaignSnapshot TwoBanners = Snapshot(
        Campaign("a", [Banner("a1", 300, 250), Banner("a2", 728, 90)]),
        Campaign("b", [Banner("b1", 300, 250)], maxBidCpm: 1.0));

    /// <summary>A request with the given imp array and more top-level members.</summary>
    /// <remarks>In <paramref name="more"/>, single quotes stand for double quotes.</remarks>
    private static string Req(string imp, string more) => "{\"id\":\"r\"," + imp + "," + more.Replace('\'', '"') + "}";

    [Fact]
    public void OffersOnlyCreativesOfASizeTheImpAllows()
    {
        var found = Find("""{"id":"r","imp":[{"id":"1","banner":{"format":[{"w":728,"h":90},{"w":160,"h":600}]}}]}""", TwoBanners);
        Assert.Equal(["a2"], found.Select(c => c.Creative.Id));
    }

    [Fact]
    public void LeavesOutCampaignsWhoseMaximumIsUnderTheFloor()
    {
        var found = Find("""{"id":"r","imp":[{"id":"1","banner":{"w":300,"h":250},"bidfloor":2}]}""", TwoBanners);
        Assert.Equal(["a1"], found.Select(c => c.Creative.Id));
    }

    [Fact]
    public void ConvertsTheFloorToUsdAndSkipsUnknownCurrencies()
    {
        var eur = Find("""{"id":"r","imp":[{"id":"1","banner":{"w":300,"h":250},"bidfloor":2,"bidfloorcur":"EUR"}]}""", TwoBanners);
        Assert.Equal(2.2, Assert.Single(eur).FloorUsd, 9);

        var unknown = Find("""{"id":"r","imp":[{"id":"1","banner":{"w":300,"h":250},"bidfloor":2,"bidfloorcur":"XXX"}]}""", TwoBanners);
        Assert.Empty(unknown);
    }

    [Fact]
    public void HonoursBlockedCategoriesAdvertisersAppsAndSeats()
    {
        var snapshot = Snapshot(
            Campaign("games", [Banner("g", 300, 250)], cat: ["IAB9-30"], appBundle: "com.games.app"),
            Campaign("cars", [Banner("c", 300, 250)], cat: ["IAB2"], adomain: ["cars.example"]));
        const string imp = "\"imp\":[{\"id\":\"1\",\"banner\":{\"w\":300,\"h\":250}}]";

        Assert.Equal(["c"], Find(Req(imp, "'bcat':['IAB9']"), snapshot).Select(c => c.Creative.Id));
        Assert.Equal(["g"], Find(Req(imp, "'badv':['CARS.example']"), snapshot).Select(c => c.Creative.Id));
        Assert.Equal(["c"], Find(Req(imp, "'bapp':['com.games.app']"), snapshot).Select(c => c.Creative.Id));
        Assert.Empty(Find(Req(imp, "'bseat':['seat1']"), snapshot));
        Assert.Empty(Find(Req(imp, "'wseat':['other']"), snapshot));
        Assert.Equal(2, Find(Req(imp, "'wseat':['seat1']"), snapshot).Count);
    }

    [Fact]
    public void MatchesCountryDeviceAndOsTargeting()
    {
        var snapshot = Snapshot(Campaign("t", [Banner("t1", 300, 250)], targeting: new Targeting(["USA"], [4, 5], ["ios"])));
        const string imp = "\"imp\":[{\"id\":\"1\",\"banner\":{\"w\":300,\"h\":250}}]";

        Assert.Single(Find(Req(imp, "'device':{'devicetype':4,'os':'iOS','geo':{'country':'usa'}}"), snapshot));
        Assert.Single(Find(Req(imp, "'device':{'devicetype':5,'os':'ios'},'user':{'geo':{'country':'USA'}}"), snapshot));
        Assert.Empty(Find(Req(imp, "'device':{'devicetype':2,'os':'iOS','geo':{'country':'USA'}}"), snapshot));
        Assert.Empty(Find(Req(imp, "'device':{'devicetype':4,'os':'Android','geo':{'country':'USA'}}"), snapshot));
        Assert.Empty(Find(Req(imp, "'device':{'devicetype':4,'os':'iOS'}"), snapshot));
    }

    [Fact]
    public void ChecksVideoMimesAndDuration()
    {
        var snapshot = Snapshot(Campaign("v", [Video("v15", 15, "video/mp4"), Video("v60", 60, "video/webm")]));

        Assert.Equal(["v15"], Find("""{"id":"r","imp":[{"id":"1","video":{"mimes":["video/mp4","video/webm"],"maxduration":30}}]}""", snapshot).Select(c => c.Creative.Id));
        Assert.Equal(["v60"], Find("""{"id":"r","imp":[{"id":"1","video":{"mimes":["video/webm"]}}]}""", snapshot).Select(c => c.Creative.Id));
        Assert.Empty(Find("""{"id":"r","imp":[{"id":"1","video":{"mimes":["video/mp4"],"minduration":20,"maxduration":30}}]}""", snapshot));
    }

    [Fact]
    public void StopsAtTheCandidateLimit()
    {
        var imps = string.Join(",", Enumerable.Range(0, 10).Select(i => $$$"""{"id":"{{{i}}}","banner":{"w":300,"h":250}}"""));
        Assert.Equal(5, Find($$$"""{"id":"r","imp":[{{{imps}}}]}""", TwoBanners, max: 5).Count);
    }

    [Fact]
    public void ShareTheCandidateLimitFairlyByRotationInsteadOfFileOrder()
    {
        // 300 campaigns fit one imp; 10 are scored per request. Over 300 requests, each campaign should
        // get about 10 turns; a cut-off in file order would give the first ten 300 and the rest none.
        var snapshot = Snapshot([.. Enumerable.Range(0, 300).Select(i => Campaign($"c{i}", [Banner($"b{i}", 300, 250)]))]);
        var turns = new Dictionary<string, int>();
        for (var r = 1; r <= 300; r++)
        {
            var found = Find("""{"id":"r","imp":[{"id":"1","banner":{"w":300,"h":250}}]}""", snapshot, max: 10, rotation: r);
            Assert.Equal(10, found.Count);
            Assert.Equal(10, found.Select(c => c.Campaign.Id).Distinct().Count());
            foreach (var c in found)
            {
                turns[c.Campaign.Id] = turns.GetValueOrDefault(c.Campaign.Id) + 1;
            }
        }

        Assert.Equal(300, turns.Count);
        Assert.InRange(turns.Values.Max(), 10, 20);
    }

    [Fact]
    public void ChecksRegionsDomainsBundlesPublishersAndContentCategoriesAsAllowAndBlockLists()
    {
        var snapshot = Snapshot(
            WithRules("ca", """{"targeting":{"regions":["USA-CA"]}}"""),
            WithRules("news", """{"targeting":{"siteDomains":["news.example"],"block":{"publisherIds":["p-bad"]}}}"""),
            WithRules("sports", """{"targeting":{"categories":["IAB17"]}}"""),
            WithRules("apps", """{"targeting":{"appBundles":["com.good.app"],"block":{"os":["android"]}}}"""));
        const string imp = "\"imp\":[{\"id\":\"1\",\"banner\":{\"w\":300,\"h\":250}}]";

        string[] Ids(string more) => [.. Find(Req(imp, more), snapshot).Select(c => c.Campaign.Id).Order()];

        Assert.Equal(["ca", "news"], Ids("'site':{'domain':'www.news.example','publisher':{'id':'p1'}},'device':{'geo':{'country':'USA','region':'ca'}}"));
        Assert.Equal(["sports"], Ids("'site':{'domain':'other.example','cat':['IAB17-44'],'publisher':{'id':'p-bad'}},'device':{'geo':{'country':'USA','region':'NY'}}"));
        Assert.Empty(Ids("'site':{'domain':'news.example','publisher':{'id':'p-bad'}}"));
        Assert.Equal(["apps"], Ids("'app':{'bundle':'com.good.app'},'device':{'os':'iOS'}"));
        Assert.Empty(Ids("'app':{'bundle':'com.good.app'},'device':{'os':'Android'}"));
    }

    [Fact]
    public void OffersPrivateAuctionsOnlyToTheCampaignsOfTheirDeals()
    {
        var snapshot = Snapshot(Campaign("open", [Banner("o", 300, 250)]), WithRules("dealer", """{"targeting":{"deals":[{"id":"d1","bidFloor":2}]}}"""));

        var dealt = Assert.Single(Find("""{"id":"r","imp":[{"id":"1","banner":{"w":300,"h":250},"bidfloor":0.5,"pmp":{"private_auction":1,"deals":[{"id":"d1"}]}}]}""", snapshot));
        Assert.Equal(("dealer", 0, 2.0), (dealt.Campaign.Id, dealt.DealIndex, dealt.FloorUsd));
        Assert.Empty(Find("""{"id":"r","imp":[{"id":"1","banner":{"w":300,"h":250},"pmp":{"private_auction":1,"deals":[{"id":"d2"}]}}]}""", snapshot));
        Assert.Equal(["open"], Find("""{"id":"r","imp":[{"id":"1","banner":{"w":300,"h":250}}]}""", snapshot).Select(c => c.Campaign.Id));
    }

    [Fact]
    public void SkipsPrivateAuctions()
    {
        Assert.Empty(Find("""{"id":"r","imp":[{"id":"1","banner":{"w":300,"h":250},"pmp":{"private_auction":1}}]}""", TwoBanners));
        Assert.Equal(2, Find("""{"id":"r","imp":[{"id":"1","banner":{"w":300,"h":250},"pmp":{"private_auction":0}}]}""", TwoBanners).Count);
    }
}
