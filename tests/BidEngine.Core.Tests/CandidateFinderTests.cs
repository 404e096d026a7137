using System.Text;
using BidEngine.Core.Campaigns;
using BidEngine.Core.Candidates;
using BidEngine.OpenRtb.Parsing;
using BidEngine.OpenRtb.Request;
using static BidEngine.Core.Tests.TestCampaigns;

namespace BidEngine.Core.Tests;

public sealed class CandidateFinderTests
{
    private static List<Candidate> Find(string json, CampaignSnapshot snapshot, int max = 128)
    {
        var request = new BidRequest();
        var result = BidRequestParser.Parse(Encoding.UTF8.GetBytes(json), request);
        Assert.True(result.IsSuccess, result.Message);
        var list = new List<Candidate>();
        CandidateFinder.Find(request, snapshot, list, max);
        return list;
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
    public void SkipsPrivateAuctions()
    {
        Assert.Empty(Find("""{"id":"r","imp":[{"id":"1","banner":{"w":300,"h":250},"pmp":{"private_auction":1}}]}""", TwoBanners));
        Assert.Equal(2, Find("""{"id":"r","imp":[{"id":"1","banner":{"w":300,"h":250},"pmp":{"private_auction":0}}]}""", TwoBanners).Count);
    }
}
