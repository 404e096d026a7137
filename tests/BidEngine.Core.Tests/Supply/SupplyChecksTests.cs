using System.Text;
using BidEngine.Core.Supply;
using BidEngine.Core.Traffic;
using BidEngine.OpenRtb.Parsing;
using BidEngine.OpenRtb.Request;
using static BidEngine.Tests.Shared.TrafficFixtures;

namespace BidEngine.Core.Tests.Supply;

/// <summary>
/// Each supply rule on the fixtures: the chain's policy, each node against sellers.json, the seller
/// against ads.txt and app-ads.txt with each relationship.
/// </summary>
public sealed class SupplyChecksTests
{
    private static readonly SellersDirectory Sellers = SellersDirectory.Load(Path.Combine(SupplyFolder, "sellers"));

    private static readonly AdsTxtDirectory AdsTxt = AdsTxtDirectory.Load(Path.Combine(SupplyFolder, "ads-txt"), Path.Combine(SupplyFolder, "app-ads-txt"));

    private static readonly byte[] Exchange = Encoding.UTF8.GetBytes("exchange.example");

    internal static BidRequest Parse(string json)
    {
        var request = new BidRequest();
        var result = BidRequestParser.Parse(Encoding.UTF8.GetBytes(json), request);
        Assert.True(result.IsSuccess, result.Message);
        return request;
    }

    private static string Chain(bool complete, params (string Asi, string Sid, int Hp)[] nodes) =>
        "{\"complete\":" + (complete ? 1 : 0) + ",\"ver\":\"1.0\",\"nodes\":["
        + string.Join(',', nodes.Select(n => $"{{\"asi\":\"{n.Asi}\",\"sid\":\"{n.Sid}\",\"hp\":{n.Hp}}}")) + "]}";

    public static TheoryData<string, string?, TrafficReason> Policies() => new()
    {
        { "any", null, TrafficReason.None },
        { "chain", null, TrafficReason.SchainMissing },
        { "chain", DirectChain, TrafficReason.None },
        { "complete", Chain(false, ("exchange.example", "pub-news", 1)), TrafficReason.SchainIncomplete },
        { "complete", ResoldChain, TrafficReason.None },
        { "hops1", ResoldChain, TrafficReason.SchainTooManyHops },
        { "hops1", DirectChain, TrafficReason.None },
        { "direct", ResoldChain, TrafficReason.SchainNotDirect },
        { "direct", Chain(false, ("exchange.example", "pub-news", 1)), TrafficReason.SchainIncomplete },
        { "direct", DirectChain, TrafficReason.None },
        { "chain", "{\"complete\":1,\"nodes\":[{\"asi\":\"exchange.example\",\"hp\":1}]}", TrafficReason.SchainMalformed },
        { "chain", "{\"complete\":1,\"nodes\":[{\"asi\":\"exchange.example\",\"sid\":\"1\"}]}", TrafficReason.SchainMalformed },
        { "chain", "{\"complete\":1,\"nodes\":[]}", TrafficReason.SchainMalformed },
        { "any", "{\"complete\":1,\"nodes\":[]}", TrafficReason.None },
    };

    [Theory]
    [MemberData(nameof(Policies))]
    public void EachPolicyJudgesTheChainAsItsRuleSays(string policy, string? chain, TrafficReason expected)
    {
        var rules = policy switch
        {
            "chain" => new SupplyChainPolicy { RequireChain = true },
            "complete" => new SupplyChainPolicy { RequireComplete = true },
            "hops1" => new SupplyChainPolicy { MaxHops = 1 },
            "direct" => new SupplyChainPolicy { DirectOnly = true },
            _ => new SupplyChainPolicy(),
        };
        Assert.Equal(expected, rules.Judge(Parse(Request(schain: chain))));
        Assert.Equal(expected, rules.Judge(Parse(Request(schain: chain, schain25: true))));
    }

    public static TheoryData<string, string?, bool, bool, TrafficReason> SellerCases() => new()
    {
        { "direct", DirectChain, true, false, TrafficReason.None },
        { "resold", ResoldChain, true, false, TrafficReason.None },
        { "unknown sid", Chain(true, ("exchange.example", "nobody", 1)), true, false, TrafficReason.SellerNotListed },
        { "sid is case-sensitive", Chain(true, ("exchange.example", "PUB-NEWS", 1)), true, false, TrafficReason.SellerNotListed },
        { "asi in any case", Chain(true, ("EXCHANGE.example", "pub-news", 1)), true, false, TrafficReason.None },
        { "first node an intermediary", Chain(true, ("exchange.example", "ssp-resale", 1)), true, false, TrafficReason.SellerTypeMismatch },
        { "later node a publisher", Chain(true, ("ssp.example", "news-at-ssp", 1), ("exchange.example", "pub-news", 1)), true, false, TrafficReason.SellerTypeMismatch },
        { "later node not paying: not typed", Chain(true, ("ssp.example", "news-at-ssp", 1), ("exchange.example", "pub-news", 0)), true, false, TrafficReason.None },
        { "incomplete chain: first node not typed", Chain(false, ("exchange.example", "ssp-resale", 1)), true, false, TrafficReason.None },
        { "both fits anywhere", Chain(true, ("exchange.example", "both-9", 1), ("exchange.example", "both-9", 1)), true, false, TrafficReason.None },
        { "unknown type fits nowhere typed", Chain(true, ("exchange.example", "odd-type", 1)), true, false, TrafficReason.SellerTypeMismatch },
        { "confidential allowed", Chain(true, ("exchange.example", "hidden-1", 1)), true, false, TrafficReason.None },
        { "confidential refused", Chain(true, ("exchange.example", "hidden-1", 1)), true, true, TrafficReason.SellerConfidential },
        { "system without a file, bid", Chain(true, ("other.example", "x", 1)), true, false, TrafficReason.None },
        { "system without a file, no bid", Chain(true, ("other.example", "x", 1)), false, false, TrafficReason.SellersFileMissing },
        { "numeric seller id", Chain(true, ("exchange.example", "4242", 1)), true, false, TrafficReason.None },
        { "no chain: publisher id at the exchange", null, true, false, TrafficReason.None },
    };

    [Theory]
    [MemberData(nameof(SellerCases))]
    public void EachNodeMustBeInItsSystemsSellersJsonAsItsPlaceNeeds(string name, string? chain, bool bidWhenMissing, bool refuseConfidential, TrafficReason expected) =>
        Assert.True(expected == SupplyChecks.Sellers(Parse(Request(schain: chain)), Sellers, Exchange, bidWhenMissing, refuseConfidential), name);

    [Fact]
    public void WithoutAChainThePublisherIdMustBeASellerOfTheExchange()
    {
        var stranger = Parse(Request(schain: null, site: "\"domain\":\"news.example\",\"publisher\":{\"id\":\"stranger\"}"));
        Assert.Equal(TrafficReason.SellerNotListed, SupplyChecks.Sellers(stranger, Sellers, Exchange, true, false));

        // Without the exchange's domain there is nothing to look up.
        Assert.Equal(TrafficReason.None, SupplyChecks.Sellers(stranger, Sellers, default, true, false));
    }

    public static TheoryData<string, string?, string?, string?, bool, TrafficReason> AdsTxtCases() => new()
    {
        { "direct: the publisher's own account, DIRECT", null, null, DirectChain, true, TrafficReason.None },
        { "resold: the reseller's account, RESELLER", null, null, ResoldChain, true, TrafficReason.None },
        { "a publisher account listed as RESELLER", null, null, Chain(true, ("exchange.example", "both-9", 1)), true, TrafficReason.None },
        { "sellers.json's type wins over the place: an intermediary as RESELLER", null, null, Chain(true, ("exchange.example", "ssp-resale", 1)), true, TrafficReason.None },
        { "by place, one complete node is DIRECT: a RESELLER line does not fit", null, null, Chain(true, ("other.example", "resold-1", 1)), true, TrafficReason.AdsTxtWrongRelationship },
        { "by place, a later node is RESELLER: a DIRECT line does not fit", null, null, Chain(true, ("ssp.example", "news-at-ssp", 1), ("other.example", "pub-news", 1)), true, TrafficReason.AdsTxtWrongRelationship },
        { "not listed", null, null, Chain(true, ("exchange.example", "nobody", 1)), true, TrafficReason.AdsTxtNotListed },
        { "listed for another system", null, null, Chain(true, ("unlisted.example", "pub-news", 1)), true, TrafficReason.AdsTxtNotListed },
        { "incomplete one-node chain: either relationship", null, null, Chain(false, ("exchange.example", "ssp-resale", 1)), true, TrafficReason.None },
        { "no chain: exchange domain and publisher id", null, null, null, true, TrafficReason.None },
        { "no file, bid", "\"domain\":\"elsewhere.example\",\"publisher\":{\"id\":\"pub-news\"}", null, DirectChain, true, TrafficReason.None },
        { "no file, no bid", "\"domain\":\"elsewhere.example\",\"publisher\":{\"id\":\"pub-news\"}", null, DirectChain, false, TrafficReason.AdsTxtFileMissing },
        { "a subdomain without its own file uses its parent's", "\"domain\":\"www.news.example\",\"publisher\":{\"id\":\"pub-news\"}", null, DirectChain, true, TrafficReason.None },
        { "a subdomain's own file, where sellers.json's publisher is only a RESELLER", "\"domain\":\"sport.news.example\",\"publisher\":{\"id\":\"pub-news\"}", null, DirectChain, true, TrafficReason.AdsTxtWrongRelationship },
        { "a subdomain's own file, which does not list the reseller", "\"domain\":\"sport.news.example\",\"publisher\":{\"id\":\"pub-news\"}", null, ResoldChain, true, TrafficReason.AdsTxtNotListed },
        { "the page's host when no domain", "\"page\":\"https://News.Example:443/a?b\",\"publisher\":{\"id\":\"pub-news\"}", null, DirectChain, true, TrafficReason.None },
        { "an app's app-ads.txt by bundle", null, "\"bundle\":\"com.example.game\",\"publisher\":{\"id\":\"pub-app\"}", Chain(true, ("exchange.example", "pub-app", 1)), true, TrafficReason.None },
        { "an app's unlisted seller", null, "\"bundle\":\"com.example.game\",\"publisher\":{\"id\":\"pub-app\"}", Chain(true, ("exchange.example", "pub-news", 1)), true, TrafficReason.AdsTxtNotListed },
        { "an app without app-ads.txt, no bid", null, "\"bundle\":\"com.example.other\"", DirectChain, false, TrafficReason.AdsTxtFileMissing },
    };

    [Theory]
    [MemberData(nameof(AdsTxtCases))]
    public void TheSellerTheExchangeNamesMustBeAuthorisedWithTheRightRelationship(string name, string? site, string? app, string? chain, bool bidWhenMissing, TrafficReason expected) =>
        Assert.True(expected == SupplyChecks.AdsTxt(Parse(Request(site: site, app: app, schain: chain)), AdsTxt, Sellers, Exchange, bidWhenMissing), name);

    [Fact]
    public void ARequestNamingNoSellerFollowsTheMissingFilePolicy()
    {
        var anonymous = Parse(Request(schain: null, site: "\"domain\":\"news.example\""));
        Assert.Equal(TrafficReason.None, SupplyChecks.AdsTxt(anonymous, AdsTxt, Sellers, Exchange, true));
        Assert.Equal(TrafficReason.AdsTxtNoSeller, SupplyChecks.AdsTxt(anonymous, AdsTxt, Sellers, Exchange, false));
    }
}
