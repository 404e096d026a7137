using BidEngine.Core.Events;
using BidEngine.Core.Traffic;
using static BidEngine.Tests.Shared.TrafficFixtures;

namespace BidEngine.Server.Tests.Traffic;

/// <summary>
/// The invalid-traffic checks over real HTTP: each reason's nbr in the answer, its count at /metrics
/// and its record in the bid log, in each mode (On, ReportOnly, Off); bursts from one address.
/// </summary>
public sealed class InvalidTrafficOverHttpTests
{
    private static readonly string[] Checks = ["MissingUserAgent", "ImpossibleUserAgent", "MissingIp", "ImpossibleIp", "ZeroAdId", "KnownBots", "DataCentres", "IpRate", "UserRate"];

    private static string[] All(string mode) => [.. Checks.Select(c => $"--BidEngine:Traffic:{c}={mode}"), "--BidEngine:Traffic:MaxRequestsPerIp=100000", "--BidEngine:Traffic:MaxRequestsPerUser=100000"];

    /// <summary>Requests each refused by one check (id, body, reason, check label, nbr).</summary>
    private static readonly (string Id, string Json, TrafficReason Reason, string Check, int Nbr)[] Refusals =
    [
        ("no-ua", Request("no-ua", device: Device(ua: null)), TrafficReason.MissingUserAgent, "missing_user_agent", 4),
        ("null-ua", Request("null-ua", device: Device(ua: "null")), TrafficReason.ImpossibleUserAgent, "impossible_user_agent", 4),
        ("no-ip", Request("no-ip", device: Device(ip: null)), TrafficReason.MissingIp, "missing_ip", 4),
        ("private-ip", Request("private-ip", device: Device(ip: "192.168.0.10")), TrafficReason.ImpossibleIp, "impossible_ip", 4),
        ("zero-ifa", Request("zero-ifa", device: Device(extra: "\"ifa\":\"00000000-0000-0000-0000-000000000000\"")), TrafficReason.ZeroAdId, "zero_ad_id", 4),
        ("cloud-v4", Request("cloud-v4", device: Device(ip: "198.51.100.44")), TrafficReason.DataCentreIp, "data_centre", 5),
        ("cloud-v6", Request("cloud-v6", device: Device(ip: null, ipv6: "2001:db8:dc00:77::1")), TrafficReason.DataCentreIp, "data_centre", 5),
        ("googlebot", Request("googlebot", device: Device(ua: GooglebotUa)), TrafficReason.KnownBot, "known_bot", 3),
    ];

    [Fact]
    public async Task EachCheckOnRefusesWithItsNbrCountedAndLogged()
    {
        await using var host = await TrafficHost.StartAsync(All("On"));
        foreach (var (id, json, _, _, nbr) in Refusals)
        {
            Assert.Equal((false, nbr), await host.SendAsync(json));
        }

        Assert.Equal((true, 0), await host.SendAsync(Request("person")));
        Assert.Equal((true, 0), await host.SendAsync(Request("person-v6", device: Device(ip: null, ipv6: "2a00:1450:4001:80b::200e"))));

        var metrics = await host.MetricsAsync();
        foreach (var group in Refusals.GroupBy(r => r.Reason))
        {
            var first = group.First();
            Assert.Contains($"bidengine_traffic_refused_total{{check=\"{first.Check}\",reason=\"{Label(first.Reason)}\",mode=\"on\"}} {group.Count()}", metrics, StringComparison.Ordinal);
        }

        Assert.Contains("bidengine_traffic_list_entries{list=\"bot_patterns\"} 1500", metrics, StringComparison.Ordinal);
        Assert.Contains("bidengine_traffic_list_entries{list=\"data_centre_ipv6_ranges\"} 2", metrics, StringComparison.Ordinal);

        var log = await host.DecisionsAsync();
        foreach (var (id, _, reason, _, _) in Refusals)
        {
            Assert.Equal(reason, Assert.IsType<NoBidEvent>(log[id]).TrafficReason);
        }

        Assert.Equal(TrafficReason.None, Assert.IsType<BidEvent>(log["person"]).TrafficReason);
    }

    [Fact]
    public async Task EachCheckReportingOnlyCountsAndLogsAndStillBids()
    {
        await using var host = await TrafficHost.StartAsync(All("ReportOnly"));
        foreach (var (id, json, _, _, _) in Refusals)
        {
            Assert.Equal((true, 0), await host.SendAsync(json));
        }

        var metrics = await host.MetricsAsync();
        foreach (var group in Refusals.GroupBy(r => r.Reason))
        {
            var first = group.First();
            Assert.Contains($"bidengine_traffic_refused_total{{check=\"{first.Check}\",reason=\"{Label(first.Reason)}\",mode=\"report_only\"}} {group.Count()}", metrics, StringComparison.Ordinal);
            Assert.Contains($"bidengine_traffic_refused_total{{check=\"{first.Check}\",reason=\"{Label(first.Reason)}\",mode=\"on\"}} 0", metrics, StringComparison.Ordinal);
        }

        var log = await host.DecisionsAsync();
        foreach (var (id, _, reason, _, _) in Refusals)
        {
            Assert.Equal(reason, Assert.IsType<BidEvent>(log[id]).TrafficReason);
        }
    }

    [Fact]
    public async Task EveryCheckOffCountsNothingAndEveryRequestBids()
    {
        await using var host = await TrafficHost.StartAsync(All("Off"));
        foreach (var (_, json, _, _, _) in Refusals)
        {
            Assert.Equal((true, 0), await host.SendAsync(json));
        }

        Assert.DoesNotMatch(@"bidengine_traffic_refused_total\{[^}]*\} [1-9]", await host.MetricsAsync());
    }

    [Fact]
    public async Task ABurstFromOneAddressIsRefusedPastTheRateAndOtherAddressesStillBid()
    {
        await using var host = await TrafficHost.StartAsync("--BidEngine:Traffic:IpRate=On", "--BidEngine:Traffic:MaxRequestsPerIp=30", "--BidEngine:Traffic:RateWindowSeconds=60",
            "--BidEngine:Traffic:UserRate=On", "--BidEngine:Traffic:MaxRequestsPerUser=1000");
        var answers = new List<(bool, int)>();
        for (var i = 0; i < 40; i++)
        {
            answers.Add(await host.SendAsync(Request($"burst-{i}", device: Device(ip: "203.0.113.66"), user: $"\"id\":\"u-{i}\"")));
        }

        Assert.All(answers.Take(30), a => Assert.Equal((true, 0), a));
        Assert.All(answers.Skip(30), a => Assert.Equal((false, 4), a));
        Assert.Equal((true, 0), await host.SendAsync(Request("elsewhere", device: Device(ip: "203.0.113.67"))));
        Assert.Contains("bidengine_traffic_refused_total{check=\"ip_rate\",reason=\"ip_rate\",mode=\"on\"} 10", await host.MetricsAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OneUserFromManyAddressesIsRefusedPastTheRate()
    {
        await using var host = await TrafficHost.StartAsync("--BidEngine:Traffic:UserRate=On", "--BidEngine:Traffic:MaxRequestsPerUser=5", "--BidEngine:Traffic:RateWindowSeconds=60");
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal((true, 0), await host.SendAsync(Request($"user-{i}", device: Device(ip: $"203.0.113.{10 + i}"), user: "\"buyeruid\":\"same-person\"")));
        }

        Assert.Equal((false, 4), await host.SendAsync(Request("user-6", device: Device(ip: "203.0.113.99"), user: "\"buyeruid\":\"same-person\"")));
    }

    private static string Label(TrafficReason reason) => BidEngine.Server.Metrics.LabelValues.Snake(reason.ToString());
}
