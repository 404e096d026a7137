using BidEngine.Core.Deadlines;
using BidEngine.Core.Exchanges;
using BidEngine.Core.Supply;
using BidEngine.Core.Tests.Events;
using BidEngine.Core.Traffic;
using static BidEngine.Core.Tests.Supply.SupplyChecksTests;
using static BidEngine.Tests.Shared.TrafficFixtures;

namespace BidEngine.Core.Tests.Traffic;

/// <summary>The traffic step as the pipeline runs it: each check's reason and nbr, its three modes, the order, the counts.</summary>
public sealed class TrafficFilterTests
{
    private static readonly Lazy<BotMatcher> Bots = new(() => BotMatcher.Load(BotList));

    internal static TrafficFilter Filter(TrafficMode mode, TrafficRules? rules = null, TimeProvider? time = null, params TrafficCheck[] checks)
    {
        rules ??= new TrafficRules();
        foreach (var check in checks.Length == 0 ? Enum.GetValues<TrafficCheck>() : checks)
        {
            rules[check] = mode;
        }

        return new TrafficFilter(rules, time)
        {
            Bots = Bots.Value,
            DataCentres = AddressRanges.Load(DataCentres),
            Sellers = SellersDirectory.Load(Path.Combine(SupplyFolder, "sellers")),
            AdsTxt = AdsTxtDirectory.Load(Path.Combine(SupplyFolder, "ads-txt"), Path.Combine(SupplyFolder, "app-ads-txt")),
        };
    }

    internal static Exchange ExchangeExample(SupplyChainPolicy? policy = null) =>
        new("x", new ExchangeProfile { Domain = "Exchange.Example", SupplyChain = policy }, new DeadlineOptions(), Core.Time.SystemClock.Instance);

    /// <summary>A request refused by each check alone (every other check passes it), with its reason and nbr.</summary>
    public static TheoryData<string, TrafficReason, int> Refusals() => new()
    {
        { Request(device: Device(ua: null)), TrafficReason.MissingUserAgent, 4 },
        { Request(device: Device(ua: "undefined")), TrafficReason.ImpossibleUserAgent, 4 },
        { Request(device: Device(ip: null)), TrafficReason.MissingIp, 4 },
        { Request(device: Device(ip: "10.1.2.3")), TrafficReason.ImpossibleIp, 4 },
        { Request(device: Device(ip: "300.1.2.3")), TrafficReason.ImpossibleIp, 4 },
        { Request(device: Device(ip: null, ipv6: "fe80::1")), TrafficReason.ImpossibleIp, 4 },
        { Request(device: Device(extra: "\"ifa\":\"00000000-0000-0000-0000-000000000000\"")), TrafficReason.ZeroAdId, 4 },
        { Request(device: Device(ip: "198.51.100.20")), TrafficReason.DataCentreIp, 5 },
        { Request(device: Device(ip: null, ipv6: "2001:db8:dc00:1::7")), TrafficReason.DataCentreIp, 5 },
        { Request(device: Device(ip: "::ffff:198.51.100.20")), TrafficReason.DataCentreIp, 5 },
        { Request(device: Device(ua: GooglebotUa)), TrafficReason.KnownBot, 3 },
        { Request(schain: null), TrafficReason.SchainMissing, 502 },
        { Request(schain: """{"complete":1,"nodes":[{"asi":"exchange.example","sid":"nobody","hp":1}]}"""), TrafficReason.SellerNotListed, 503 },
        { Request(schain: """{"complete":1,"nodes":[{"asi":"exchange.example","sid":"both-9","hp":1}]}""", site: "\"domain\":\"sport.news.example\""), TrafficReason.AdsTxtNotListed, 7 },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void EachCheckOnRefusesWithItsReasonAndNbr(string json, TrafficReason reason, int nbr)
    {
        var filter = Filter(TrafficMode.On, new TrafficRules { SupplyChain = new SupplyChainPolicy { RequireChain = true } });
        var decision = filter.Apply(Parse(json), ExchangeExample());
        Assert.Equal(reason, decision.Refused);
        Assert.Equal(nbr, decision.NoBidReasonCode);
        Assert.Equal(1, filter.Count(reason, TrafficMode.On));
        Assert.Equal(TrafficReasons.NoBidReason(reason), nbr);
    }

    [Theory]
    [MemberData(nameof(Refusals))]
    public void EachCheckReportingOnlyCountsAndLetsTheRequestBid(string json, TrafficReason reason, int nbr)
    {
        var filter = Filter(TrafficMode.ReportOnly, new TrafficRules { SupplyChain = new SupplyChainPolicy { RequireChain = true } });
        var decision = filter.Apply(Parse(json), ExchangeExample());
        Assert.True(decision.MayBid);
        Assert.Equal(0, decision.NoBidReasonCode);
        Assert.Equal(reason, decision.Reported);
        Assert.Equal(reason, decision.Logged);
        Assert.Equal(1, filter.Count(reason, TrafficMode.ReportOnly));
        Assert.Equal(0, filter.Count(reason, TrafficMode.On));
        Assert.NotEqual(0, nbr);
    }

    [Theory]
    [MemberData(nameof(Refusals))]
    public void EachCheckOffDoesNothing(string json, TrafficReason reason, int nbr)
    {
        var filter = Filter(TrafficMode.Off);
        Assert.Equal(default, filter.Apply(Parse(json), ExchangeExample()));
        Assert.Equal(0, filter.Count(reason, TrafficMode.On) + filter.Count(reason, TrafficMode.ReportOnly) + nbr - nbr);
    }

    [Fact]
    public void ARequestFromAPersonThroughAnAuthorisedSellerPassesEveryCheck()
    {
        var filter = Filter(TrafficMode.On, new TrafficRules { SupplyChain = new SupplyChainPolicy { RequireComplete = true, MaxHops = 2 }, BidWhenAdsTxtMissing = false, BidWhenSellersFileMissing = false });
        foreach (var json in new[] { Request(), Request(schain: ResoldChain), Request(device: Device(ip: null, ipv6: "2a00:1450:4001:80b::200e")), Request(schain: DirectChain, schain25: true) })
        {
            Assert.Equal(default, filter.Apply(Parse(json), ExchangeExample()));
        }
    }

    [Fact]
    public void TheFirstCheckOnToRefuseDecidesAndAReportOnlyFindingBeforeItIsKept()
    {
        var rules = new TrafficRules { [TrafficCheck.ImpossibleIp] = TrafficMode.ReportOnly };
        var filter = Filter(TrafficMode.On, rules, null, TrafficCheck.KnownBot, TrafficCheck.DataCentre);
        var decision = filter.Apply(Parse(Request(device: Device(ua: GooglebotUa, ip: "10.0.0.1"))), null);
        Assert.Equal(new TrafficDecision(TrafficReason.KnownBot, TrafficReason.ImpossibleIp), decision);
        Assert.Equal(TrafficReason.KnownBot, decision.Logged);
    }

    [Fact]
    public void UntilEnforcedEveryCheckOnOnlyReports()
    {
        var filter = new TrafficFilter(new TrafficRules { [TrafficCheck.MissingIp] = TrafficMode.On }, enforcing: false);
        var request = Parse(Request(device: Device(ip: null)));
        Assert.Equal(new TrafficDecision(TrafficReason.None, TrafficReason.MissingIp), filter.Apply(request));
        filter.Enforce();
        Assert.Equal(TrafficReason.MissingIp, filter.Apply(request).Refused);
        Assert.Equal(1, filter.Count(TrafficReason.MissingIp, TrafficMode.ReportOnly));
        Assert.Equal(1, filter.Count(TrafficReason.MissingIp, TrafficMode.On));
    }

    [Fact]
    public void AnExchangesOwnPolicyReplacesTheBiddersAndWithoutAProfileTheBiddersApplies()
    {
        var filter = Filter(TrafficMode.On, new TrafficRules { SupplyChain = new SupplyChainPolicy { DirectOnly = true } }, null, TrafficCheck.SupplyChain);
        var resold = Parse(Request(schain: ResoldChain));
        Assert.Equal(TrafficReason.SchainNotDirect, filter.Apply(resold).Refused);
        Assert.Equal(TrafficReason.SchainNotDirect, filter.Apply(resold, ExchangeExample()).Refused);
        Assert.True(filter.Apply(resold, ExchangeExample(new SupplyChainPolicy { MaxHops = 2 })).MayBid);
        Assert.Equal(TrafficReason.SchainTooManyHops, filter.Apply(resold, ExchangeExample(new SupplyChainPolicy { MaxHops = 1 })).Refused);
    }

    [Fact]
    public void ABurstFromOneAddressIsRefusedPastItsRateAndOthersStillBid()
    {
        var time = new ManualTime(DateTimeOffset.UnixEpoch);
        var filter = Filter(TrafficMode.On, new TrafficRules { MaxRequestsPerIp = 50, MaxRequestsPerUser = 1000, RateWindowSeconds = 2 }, time, TrafficCheck.IpRate, TrafficCheck.UserRate);
        var burst = Parse(Request(device: Device(ip: "203.0.113.50")));
        var other = Parse(Request(device: Device(ip: "203.0.113.51")));
        for (var i = 0; i < 50; i++)
        {
            Assert.True(filter.Apply(burst).MayBid, $"request {i + 1}");
        }

        Assert.Equal(TrafficReason.IpRate, filter.Apply(burst).Refused);
        Assert.True(filter.Apply(other).MayBid);

        // Two seconds on, the window has forgotten the burst.
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.True(filter.Apply(burst).MayBid);
    }

    [Fact]
    public void AnIpv6DeviceIsCountedByItsSlash64()
    {
        var filter = Filter(TrafficMode.On, new TrafficRules { MaxRequestsPerIp = 10 }, new ManualTime(DateTimeOffset.UnixEpoch), TrafficCheck.IpRate);
        for (var i = 0; i < 10; i++)
        {
            Assert.True(filter.Apply(Parse(Request(device: Device(ip: null, ipv6: $"2a00:1450:4001:80b::{i + 1:x}")))).MayBid);
        }

        Assert.Equal(TrafficReason.IpRate, filter.Apply(Parse(Request(device: Device(ip: null, ipv6: "2a00:1450:4001:80b:ffff::1")))).Refused);
        Assert.True(filter.Apply(Parse(Request(device: Device(ip: null, ipv6: "2a00:1450:4001:80c::1")))).MayBid);
    }

    [Fact]
    public void OneUserIdFromManyAddressesIsRefusedPastItsRate()
    {
        var filter = Filter(TrafficMode.On, new TrafficRules { MaxRequestsPerUser = 5 }, new ManualTime(DateTimeOffset.UnixEpoch), TrafficCheck.IpRate, TrafficCheck.UserRate);
        for (var i = 0; i < 5; i++)
        {
            Assert.True(filter.Apply(Parse(Request(device: Device(ip: $"203.0.113.{i + 1}"), user: "\"id\":\"busy\""))).MayBid);
        }

        Assert.Equal(TrafficReason.UserRate, filter.Apply(Parse(Request(device: Device(ip: "203.0.113.99"), user: "\"id\":\"busy\""))).Refused);
        Assert.True(filter.Apply(Parse(Request(user: "\"id\":\"calm\""))).MayBid);

        // No user id, buyeruid or ad id: nothing to count by.
        for (var i = 0; i < 10; i++)
        {
            Assert.True(filter.Apply(Parse(Request(device: Device(ip: $"203.0.113.{i + 100}"), user: ""))).MayBid);
        }
    }

    [Fact]
    public void AnAllZeroAdIdWithLimitedTrackingIsWhatTheDeviceShouldSend()
    {
        var filter = Filter(TrafficMode.On, null, null, TrafficCheck.ZeroAdId);
        Assert.True(filter.Apply(Parse(Request(device: Device(extra: "\"ifa\":\"00000000-0000-0000-0000-000000000000\",\"lmt\":1")))).MayBid);
    }
}
