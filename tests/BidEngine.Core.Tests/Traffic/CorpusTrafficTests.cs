using System.Text;
using BidEngine.Core.Supply;
using BidEngine.Core.Tests.Events;
using BidEngine.Core.Traffic;
using BidEngine.OpenRtb.Parsing;
using BidEngine.OpenRtb.Request;
using Xunit.Abstractions;

namespace BidEngine.Core.Tests.Traffic;

/// <summary>
/// What each check, alone and On, makes of the repository's own corpus (corpus/requests): how many
/// requests it refuses and why, with the shipped bot list, the fixture data-centre ranges (documentation
/// blocks, which some corpus requests use) and supply files, on the bidder-wide route (no exchange
/// profile, so no exchange domain) the corpus is sent to. The table is printed, and held here so
/// that a change to a check or to the corpus shows. docs/traffic-quality.md quotes it.
/// </summary>
public sealed class CorpusTrafficTests(ITestOutputHelper output)
{
    /// <summary>Each row: a check's setup, then the expected refusals by reason (all the rest pass).</summary>
    private static readonly (string Name, TrafficCheck Check, Action<TrafficRules> Setup, string Expected)[] Rows =
    [
        ("missing user agent", TrafficCheck.MissingUserAgent, _ => { }, "MissingUserAgent 17"),
        ("impossible user agent", TrafficCheck.ImpossibleUserAgent, _ => { }, ""),
        ("missing IP", TrafficCheck.MissingIp, _ => { }, "MissingIp 17"),
        ("impossible IP", TrafficCheck.ImpossibleIp, _ => { }, ""),
        ("all-zero ad id", TrafficCheck.ZeroAdId, _ => { }, ""),
        ("data centre (fixture ranges)", TrafficCheck.DataCentre, _ => { }, "DataCentreIp 1"),
        ("known bot", TrafficCheck.KnownBot, _ => { }, ""),
        ("supply chain: require a chain", TrafficCheck.SupplyChain, r => r.SupplyChain = new SupplyChainPolicy { RequireChain = true }, "SchainMissing 15"),
        ("supply chain: require complete", TrafficCheck.SupplyChain, r => r.SupplyChain = new SupplyChainPolicy { RequireComplete = true }, "SchainMissing 15; SchainIncomplete 1"),
        ("supply chain: at most 1 hop", TrafficCheck.SupplyChain, r => r.SupplyChain = new SupplyChainPolicy { MaxHops = 1 }, "SchainMissing 15; SchainTooManyHops 1"),
        ("supply chain: direct only", TrafficCheck.SupplyChain, r => r.SupplyChain = new SupplyChainPolicy { DirectOnly = true }, "SchainMissing 15; SchainIncomplete 1"),
        ("sellers.json, missing files: bid", TrafficCheck.Sellers, _ => { }, ""),
        ("sellers.json, missing files: no bid", TrafficCheck.Sellers, r => r.BidWhenSellersFileMissing = false, "SellersFileMissing 5"),
        ("ads.txt, missing files: bid", TrafficCheck.AdsTxt, _ => { }, ""),
        ("ads.txt, missing files: no bid", TrafficCheck.AdsTxt, r => r.BidWhenAdsTxtMissing = false, "AdsTxtFileMissing 20"),
        ("IP rate (1 a window)", TrafficCheck.IpRate, r => r.MaxRequestsPerIp = 1, ""),
        ("user rate (1 a window)", TrafficCheck.UserRate, r => r.MaxRequestsPerUser = 1, "UserRate 1"),
    ];

    [Fact]
    public void EachCheckRefusesTheCorpusRequestsTheTableSays()
    {
        var requests = Corpus.Files("requests").Order(StringComparer.Ordinal).Select(path =>
        {
            var request = new BidRequest();
            Assert.True(BidRequestParser.Parse(File.ReadAllBytes(path), request).IsSuccess, path);
            return (Name: Path.GetFileNameWithoutExtension(path), Request: request);
        }).ToList();
        var table = new StringBuilder($"| check (alone, On) | refused of {requests.Count} | why |\n| --- | --- | --- |\n");
        var mismatches = new List<string>();
        foreach (var (name, check, setup, expected) in Rows)
        {
            var rules = new TrafficRules();
            setup(rules);
            var filter = TrafficFilterTests.Filter(TrafficMode.On, rules, new ManualTime(DateTimeOffset.UnixEpoch), check);
            var refused = requests
                .Select(r => (r.Name, Reason: filter.Apply(r.Request).Refused))
                .Where(r => r.Reason != TrafficReason.None)
                .ToList();
            var why = string.Join("; ", refused.GroupBy(r => r.Reason).Select(g => $"{Metrics(g.Key)} {g.Count()}: {string.Join(", ", g.Select(r => r.Name))}"));
            table.Append($"| {name} | {refused.Count} | {why} |\n");
            var actual = string.Join("; ", refused.GroupBy(r => r.Reason).Select(g => $"{g.Key} {g.Count()}"));
            if (expected != actual)
            {
                mismatches.Add($"{name}: expected '{expected}', found '{actual}'");
            }
        }

        output.WriteLine(table.ToString());
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches) + "\n\n" + table);
    }

    private static string Metrics(TrafficReason reason) => reason.ToString();
}
